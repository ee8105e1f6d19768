import { ArrowClockwise } from '@strapi/icons';
import type { ReplayLedger as ReplayContract } from '../../../shared/contracts/records';
import { useT } from '../utils/useT';
import { LedgerCheck } from './LedgerCheck';

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
  return (
    <LedgerCheck<ReplayResult>
      path="/consent/ledger/replay"
      icon={<ArrowClockwise />}
      label={t('ledger.replay', 'Check states')}
      hint={t(
        'ledger.replayHint',
        'Replays every event and compares the result with the current consent states: a state changed outside the ledger shows.'
      )}
      testId="replay-result"
      report={(result) => ({
        ok: result.ok,
        title: result.ok
          ? t('ledger.replayOk', 'OK: every state equals the replay of the ledger ({checked} states checked).', {
              checked: result.checked,
            })
          : t('ledger.replayBad', '{count} states differ from the replay of the ledger ({checked} checked).', {
              count: result.mismatches.length,
              checked: result.checked,
            }),
        lines: result.mismatches.slice(0, SHOWN).map((m) => ({
          key: `${m.subject}|${m.purpose}|${m.channel}`,
          text: t(
            'ledger.replayMismatch',
            '{subject} · {purpose} · {channel}: {fields} (ledger says {expected}, state says {actual})',
            {
              subject: m.subject,
              purpose: m.purpose,
              channel: m.channel,
              fields: m.fields.join(', '),
              expected: m.expected?.state ?? '—',
              actual: m.actual?.state ?? '—',
            }
          ),
        })),
      })}
    />
  );
};

export { ReplayLedger };
