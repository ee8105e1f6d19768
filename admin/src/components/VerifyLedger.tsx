import { useState } from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Check, Cross, SealCheck } from '@strapi/icons';
import type { VerifyLedger as VerifyContract } from '../../../shared/contracts/records';
import { useMutation } from '../api';
import { useT } from '../utils/useT';

type VerifyResult = VerifyContract.Response['data'];

/**
 * Recomputes the hash chain on the server (`POST /consent/ledger/verify`) and says plainly whether the
 * ledger is intact, or where it was first altered.
 */
const VerifyLedger = () => {
  const t = useT();
  const mutate = useMutation();
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [running, setRunning] = useState(false);

  const verify = async () => {
    setRunning(true);
    setResult(null);
    const { data } = await mutate<VerifyResult>('post', '/consent/ledger/verify');
    setRunning(false);
    if (data) setResult(data);
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex gap={4} alignItems="center" wrap="wrap">
        <Button variant="secondary" startIcon={<SealCheck />} onClick={verify} loading={running}>
          {t('ledger.verify', 'Verify ledger')}
        </Button>
        <Typography variant="pi" textColor="neutral600">
          {t(
            'ledger.verifyHint',
            'Recomputes the hash of every event and its link to the previous one: any edited, deleted or reordered event shows.'
          )}
        </Typography>
      </Flex>
      {result && (
        <Box
          role="status"
          data-testid="verify-result"
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
                {result.ok
                  ? t('ledger.verifyOk', 'OK: the ledger is intact ({checked} events checked).', {
                      checked: result.checked,
                    })
                  : t('ledger.verifyBad', 'The ledger was altered at event {seq}: {problem}.', {
                      seq: result.firstBadEvent?.seq ?? '?',
                      problem: result.firstBadEvent?.problem ?? '',
                    })}
              </Typography>
              {!result.ok && (
                <Typography textColor="danger700">
                  {t('ledger.verifyBadDetail', '{checked} events before it are intact. Event id: {eventId}.', {
                    checked: result.checked,
                    eventId: result.firstBadEvent?.eventId ?? '—',
                  })}
                </Typography>
              )}
            </Flex>
          </Flex>
        </Box>
      )}
    </Flex>
  );
};

export { VerifyLedger };
