import { useState } from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { ArrowClockwise, Check, Cross } from '@strapi/icons';
import type { ReplayLedger as ReplayContract } from '../../../shared/contracts/records';
import { useMutation } from '../api';
import { useT } from '../utils/useT';

type ReplayResult = ReplayContract.Response['data'];

/** How many drifted states the panel lists; the answer holds up to 100. */
const SHOWN = 10;

/**
 * Replays the ledger on the server (`POST /consent/ledger/replay`) and says whether the current consent
 * states are exactly what the events give, or which ones drifted and in which fields. Beside "Verify":
 * verify proves the events were not altered, this that nothing changed the states behind the ledger's back.
 */
const ReplayLedger = () => {
  const t = useT();
  const mutate = useMutation();
  const [result, setResult] = useState<ReplayResult | null>(null);
  const [running, setRunning] = useState(false);

  const replay = async () => {
    setRunning(true);
    setResult(null);
    const { data } = await mutate<ReplayResult>('post', '/consent/ledger/replay');
    setRunning(false);
    if (data) setResult(data);
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex gap={4} alignItems="center" wrap="wrap">
        <Button variant="secondary" startIcon={<ArrowClockwise />} onClick={replay} loading={running}>
          {t('ledger.replay', 'Check states')}
        </Button>
        <Typography variant="pi" textColor="neutral600">
          {t(
            'ledger.replayHint',
            'Replays every event and compares the result with the current consent states: a state changed outside the ledger shows.'
          )}
        </Typography>
      </Flex>
      {result && (
        <Box
          role="status"
          data-testid="replay-result"
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
                  ? t('ledger.replayOk', 'OK: every state equals the replay of the ledger ({checked} states checked).', {
                      checked: result.checked,
                    })
                  : t('ledger.replayBad', '{count} states differ from the replay of the ledger ({checked} checked).', {
                      count: result.mismatches.length,
                      checked: result.checked,
                    })}
              </Typography>
              {result.mismatches.slice(0, SHOWN).map((m) => (
                <Typography key={`${m.subject}|${m.purpose}|${m.channel}`} textColor="danger700" variant="pi">
                  {t('ledger.replayMismatch', '{subject} · {purpose} · {channel}: {fields} (ledger says {expected}, state says {actual})', {
                    subject: m.subject,
                    purpose: m.purpose,
                    channel: m.channel,
                    fields: m.fields.join(', '),
                    expected: m.expected?.state ?? '—',
                    actual: m.actual?.state ?? '—',
                  })}
                </Typography>
              ))}
            </Flex>
          </Flex>
        </Box>
      )}
    </Flex>
  );
};

export { ReplayLedger };
