import { useState, type ReactNode } from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Check, Cross } from '@strapi/icons';
import { useMutation } from '../api';

/** What a check's answer says: whether all is well, a headline, and lines of detail. */
export interface CheckReport {
  ok: boolean;
  title: string;
  lines: { key: string; text: string }[];
}

interface LedgerCheckProps<T> {
  /** The admin route that runs the check (POST). */
  path: string;
  icon: ReactNode;
  label: string;
  hint: string;
  testId: string;
  report: (result: T) => CheckReport;
  /** A second way to run the check (the ledger's full verification): its label and route. */
  alternative?: { label: string; path: string };
}

/**
 * A button that runs one of the ledger's checks on the server and shows its answer as a status box:
 * green when all is well, red with the details otherwise (VerifyLedger, ReplayLedger).
 */
export const LedgerCheck = <T,>({ path, icon, label, hint, testId, report, alternative }: LedgerCheckProps<T>) => {
  const mutate = useMutation();
  const [result, setResult] = useState<CheckReport | null>(null);
  const [running, setRunning] = useState(false);

  const run = async (route: string) => {
    setRunning(true);
    setResult(null);
    const { data } = await mutate<T>('post', route);
    setRunning(false);
    if (data) setResult(report(data));
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex gap={4} alignItems="center" wrap="wrap">
        <Button variant="secondary" startIcon={icon} onClick={() => run(path)} loading={running}>
          {label}
        </Button>
        {alternative && (
          <Button variant="tertiary" onClick={() => run(alternative.path)} disabled={running}>
            {alternative.label}
          </Button>
        )}
        <Typography variant="pi" textColor="neutral600">
          {hint}
        </Typography>
      </Flex>
      {result && (
        <Box
          role="status"
          data-testid={testId}
          data-ok={result.ok}
          padding={4}
          hasRadius
          background={result.ok ? 'success100' : 'danger100'}
          borderColor={result.ok ? 'success200' : 'danger200'}
        >
          <Flex gap={2} alignItems="flex-start">
            {result.ok ? <Check fill="success700" aria-hidden /> : <Cross fill="danger700" aria-hidden />}
            <Flex direction="column" alignItems="flex-start" gap={1}>
              <Typography fontWeight="bold" textColor={result.ok ? 'success700' : 'danger700'}>
                {result.title}
              </Typography>
              {result.lines.map((line) => (
                <Typography key={line.key} textColor={result.ok ? 'success700' : 'danger700'} variant="pi">
                  {line.text}
                </Typography>
              ))}
            </Flex>
          </Flex>
        </Box>
      )}
    </Flex>
  );
};
