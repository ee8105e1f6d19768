import { SealCheck } from '@strapi/icons';
import type { VerifyLedger as VerifyContract } from '../../../shared/contracts/records';
import { useT } from '../utils/useT';
import { LedgerCheck } from './LedgerCheck';

type VerifyResult = VerifyContract.Response['data'];

/**
 * Recomputes the hash chain on the server (`POST /consent/ledger/verify`) and says plainly whether the
 * ledger is intact, or where it was first altered.
 */
const VerifyLedger = () => {
  const t = useT();
  return (
    <LedgerCheck<VerifyResult>
      path="/consent/ledger/verify"
      icon={<SealCheck />}
      label={t('ledger.verify', 'Verify ledger')}
      hint={t(
        'ledger.verifyHint',
        'Recomputes the hash of every event and its link to the previous one: any edited, deleted or reordered event shows.'
      )}
      testId="verify-result"
      report={(result) => ({
        ok: result.ok,
        title: result.ok
          ? t('ledger.verifyOk', 'OK: the ledger is intact ({checked} events checked).', { checked: result.checked })
          : t('ledger.verifyBad', 'The ledger was altered at event {seq}: {problem}.', {
              seq: result.firstBadEvent?.seq ?? '?',
              problem: result.firstBadEvent?.problem ?? '',
            }),
        lines: result.ok
          ? []
          : [
              {
                key: 'detail',
                text: t('ledger.verifyBadDetail', '{checked} events before it are intact. Event id: {eventId}.', {
                  checked: result.checked,
                  eventId: result.firstBadEvent?.eventId ?? '—',
                }),
              },
            ],
      })}
    />
  );
};

export { VerifyLedger };
