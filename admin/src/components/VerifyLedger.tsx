import { SealCheck } from '@strapi/icons';
import type { VerifyLedger as VerifyContract } from '../../../shared/contracts/records';
import { useT } from '../utils/useT';
import { LedgerCheck } from './LedgerCheck';

type VerifyResult = VerifyContract.Response['data'];

/**
 * Recomputes the hash chain on the server (`POST /consent/ledger/verify`: from the newest signed
 * checkpoint, or from the first event with "Full verification") and says plainly whether the ledger is
 * intact, where it was first altered, and which checkpoint it started from.
 */
const VerifyLedger = () => {
  const t = useT();
  return (
    <LedgerCheck<VerifyResult>
      path="/consent/ledger/verify"
      alternative={{ label: t('ledger.verifyFull', 'Full verification'), path: '/consent/ledger/verify?full=true' }}
      icon={<SealCheck />}
      label={t('ledger.verify', 'Verify ledger')}
      hint={t(
        'ledger.verifyHint',
        'Recomputes the hash of every event after the last signed checkpoint and its link to the previous one: any edited, deleted or reordered event shows. A full verification starts from the first event and checks every checkpoint too.'
      )}
      testId="verify-result"
      report={(result) => ({
        ok: result.ok,
        title: result.ok
          ? t('ledger.verifyOk', 'OK: the ledger is intact ({checked} events checked).', { checked: result.checked })
          : result.firstBadEvent
            ? t('ledger.verifyBad', 'The ledger was altered at event {seq}: {problem}.', {
                seq: result.firstBadEvent.seq,
                problem: result.firstBadEvent.problem,
              })
            : t('ledger.verifyCheckpointsBad', 'A signed checkpoint of the ledger was altered or forged.'),
        lines: [
          result.from
            ? {
                key: 'from',
                text: t('ledger.verifyFrom', 'Started from the signed checkpoint at event {seq} ({date}).', {
                  seq: result.from.seq,
                  date: new Date(result.from.createdAt).toLocaleString(),
                }),
              }
            : {
                key: 'from',
                text: t(
                  'ledger.verifyFromStart',
                  'Started from the first event; every checkpoint checked against the chain.'
                ),
              },
          ...(result.firstBadEvent
            ? [
                {
                  key: 'detail',
                  text: t('ledger.verifyBadDetail', '{checked} events before it are intact. Event id: {eventId}.', {
                    checked: result.checked,
                    eventId: result.firstBadEvent.eventId ?? '—',
                  }),
                },
              ]
            : []),
          ...(result.badCheckpoints ?? []).map((cp) => ({
            key: `checkpoint-${cp.id}`,
            text: t('ledger.verifyBadCheckpoint', 'Checkpoint {id} (event {seq}) {problem}: not trusted.', cp),
          })),
        ],
      })}
    />
  );
};

export { VerifyLedger };
