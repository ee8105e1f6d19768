import type { ConsentAction, ConsentMethod, ConsentState } from '../../../shared/contracts/domain';
import { useT } from './useT';

/** Human labels for the ledger's vocabularies (actions, states, methods), in the admin's language. */
export const useRecordLabels = () => {
  const t = useT();
  return {
    action: {
      requested: t('action.requested', 'Confirmation requested'),
      granted: t('action.granted', 'Granted'),
      refused: t('action.refused', 'Refused'),
      confirmed: t('action.confirmed', 'Confirmed'),
      withdrawn: t('action.withdrawn', 'Withdrawn'),
      objected: t('action.objected', 'Objected'),
      expired: t('action.expired', 'Expired'),
      revoked: t('action.revoked', 'Revoked'),
      contacted: t('action.contacted', 'Contacted'),
      informed: t('action.informed', 'Told of the right to object'),
    } satisfies Record<ConsentAction, string>,
    state: {
      none: t('state.none', 'No choice'),
      pending: t('state.pending', 'Pending confirmation'),
      granted: t('state.granted', 'Granted'),
      refused: t('state.refused', 'Refused'),
      withdrawn: t('state.withdrawn', 'Withdrawn'),
      objected: t('state.objected', 'Objected'),
      expired: t('state.expired', 'Expired'),
      revoked: t('state.revoked', 'Revoked'),
    } satisfies Record<ConsentState, string>,
    method: {
      form: t('method.form', 'Form'),
      'double-opt-in': t('method.double-opt-in', 'Double opt-in'),
      'one-click': t('method.one-click', 'One-click unsubscribe'),
      link: t('method.link', 'Link'),
      'preference-center': t('method.preference-center', 'Preference centre'),
      signal: t('method.signal', 'Browser signal (GPC)'),
      api: t('method.api', 'API'),
      import: t('method.import', 'Import'),
      admin: t('method.admin', 'Entered by staff'),
    } satisfies Record<ConsentMethod, string>,
  };
};

/** Badge colours: what a state means for contacting the person. */
export const STATE_TONE: Record<ConsentState, { background: string; text: string }> = {
  granted: { background: 'success100', text: 'success700' },
  pending: { background: 'warning100', text: 'warning700' },
  none: { background: 'neutral150', text: 'neutral700' },
  refused: { background: 'neutral150', text: 'neutral700' },
  withdrawn: { background: 'danger100', text: 'danger700' },
  objected: { background: 'danger100', text: 'danger700' },
  expired: { background: 'neutral150', text: 'neutral700' },
  revoked: { background: 'danger100', text: 'danger700' },
};

/** `YYYY-MM-DD` of a UTC day, `offset` days from today. */
export const utcDay = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Consents that became valid: direct grants and double opt-in confirmations (the API counts them apart). */
export const grantsOf = (c: { granted: number; confirmed: number }) => c.granted + c.confirmed;
