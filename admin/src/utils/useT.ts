import { useIntl } from 'react-intl';
import { getTranslation } from './getTranslation';

/** `t('purposes.title', 'Purposes')`: a plugin translation with its English default next to the call. */
export const useT = () => {
  const { formatMessage } = useIntl();
  return (id: string, defaultMessage: string, values?: Record<string, string | number>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);
};
