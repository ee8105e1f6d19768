import { useState } from 'react';
import { Badge, Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import type { WebhookDeliveries } from '../../../shared/contracts/webhooks';
import { useMutation, useResource } from '../api';
import { PERMISSIONS } from '../permissions';
import { useCan } from '../utils/useCan';
import { useT } from '../utils/useT';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * Deliveries the outbox could not make (D7): failed ones, given up after their attempts, and pending ones
 * that failed before, with the receiver's last answer and the next attempt; a failed one can be retried
 * once the receiver is fixed.
 */
const WebhookFailures = () => {
  const t = useT();
  const mutate = useMutation();
  const { toggleNotification } = useNotification();
  const { can: canRead } = useCan(PERMISSIONS.deliveriesRead);
  const { can: canRetry } = useCan(PERMISSIONS.deliveriesRetry);
  const { data, error, reload } = useResource<WebhookDeliveries.ListResponse['data']>(
    canRead ? '/consent/webhook-deliveries' : null
  );
  const [busy, setBusy] = useState<number | null>(null);

  if (!canRead) return null;

  const retry = async (id: number) => {
    setBusy(id);
    try {
      const { data: done } = await mutate('post', `/consent/webhook-deliveries/${id}/retry`);
      if (done)
        toggleNotification({
          type: 'success',
          message: t('deliveries.retried', 'The delivery will be tried again now.'),
        });
      reload();
    } finally {
      setBusy(null);
    }
  };

  const rows = data?.deliveries ?? [];
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="webhook-failures">
      <Typography variant="sigma" tag="h3">
        {t('deliveries.title', 'Failed deliveries')}
      </Typography>
      {error ? (
        <Typography textColor="danger600" role="alert">
          {t('deliveries.loadFailed', 'The deliveries could not be loaded.')}
        </Typography>
      ) : !data ? null : rows.length === 0 ? (
        <Typography>
          {t('deliveries.none', 'No failed delivery. Delivered: {delivered}, waiting: {pending}.', {
            delivered: data.counts.delivered ?? 0,
            pending: data.counts.pending ?? 0,
          })}
        </Typography>
      ) : (
        <Box style={{ overflowX: 'auto' }}>
          <Table colCount={6} rowCount={rows.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('deliveries.webhook', 'Webhook')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('deliveries.event', 'Event')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('deliveries.status', 'Status')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('deliveries.attempts', 'Attempts')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('deliveries.lastError', 'Last error')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('deliveries.nextAttempt', 'Next attempt')}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((d) => (
                <Tr key={d.id} data-testid={`delivery-${d.id}`}>
                  <Td>
                    <Typography>{d.webhookName ?? t('deliveries.deleted', 'deleted webhook')}</Typography>
                  </Td>
                  <Td>
                    <Typography>{d.event}</Typography>
                  </Td>
                  <Td>
                    <Badge active={d.status === 'failed'}>
                      {d.status === 'failed' ? t('deliveries.failed', 'failed') : t('deliveries.retrying', 'retrying')}
                    </Badge>
                  </Td>
                  <Td>
                    <Typography>{d.attempts}</Typography>
                  </Td>
                  <Td>
                    <Typography variant="pi" style={{ overflowWrap: 'anywhere' }}>
                      {d.lastError ?? '—'}
                    </Typography>
                  </Td>
                  <Td>
                    {d.status === 'failed' ? (
                      canRetry ? (
                        <Button
                          variant="secondary"
                          size="S"
                          startIcon={<ArrowClockwise />}
                          loading={busy === d.id}
                          onClick={() => retry(d.id)}
                        >
                          {t('deliveries.retry', 'Retry')}
                        </Button>
                      ) : (
                        <Typography>—</Typography>
                      )
                    ) : (
                      <Typography>{when(d.nextAttemptAt)}</Typography>
                    )}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
      )}
    </Flex>
  );
};

export { WebhookFailures };
