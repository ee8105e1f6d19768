import { Box } from '@strapi/design-system';
import type { FieldErrors } from '../api';
import { useT } from '../utils/useT';
import { TextField } from './Fields';

export interface Period {
  /** `YYYY-MM-DD`, a UTC day. */
  from: string;
  /** `YYYY-MM-DD`, a UTC day, included. */
  to: string;
}

/**
 * The two UTC days of a period (Dashboard, Reports). Each field is as wide as its label and input need,
 * at least 20rem: the admin's rem is 10px (the design system sets the root font size to 62.5%), and the
 * labels clip with an ellipsis rather than wrap, so a fixed width cut "To (UTC day, included)" short.
 */
export const PeriodFields = ({
  value,
  onChange,
  errors,
}: {
  value: Period;
  onChange: (period: Period) => void;
  errors: FieldErrors;
}) => {
  const t = useT();
  const labels: Record<keyof Period, string> = {
    from: t('ledger.from', 'From (UTC day)'),
    to: t('ledger.to', 'To (UTC day, included)'),
  };
  return (
    <>
      {(['from', 'to'] as const).map((end) => (
        <Box key={end} minWidth="20rem" data-testid={`period-${end}`}>
          <TextField
            name={end}
            type="date"
            label={labels[end]}
            value={value[end]}
            onChange={(day) => onChange({ ...value, [end]: day })}
            error={errors[end]}
          />
        </Box>
      ))}
    </>
  );
};
