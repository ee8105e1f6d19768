import { useEffect } from 'react';
import { Badge, Box, EmptyStateLayout, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useResource } from '../api';
import { PluginNav } from '../components/PluginNav';
import { useT } from '../utils/useT';

interface MessageJob {
  id: number;
  purpose: string;
  subject: string;
  audience: string | null;
  status: 'queued' | 'sending' | 'done' | 'failed';
  counts: { total: number; sent: number; skipped: number; failed: number; queued: number; sending: number };
  createdAt: string | null;
  finishedAt: string | null;
}

// While a job is being sent the page asks again this often; an idle page asks nothing.
const REFRESH_MS = 3000;

/** The consent-gated sends (`POST /api/consent/messages`) and how far each has got. */
const MessagesPage = () => {
  const t = useT();
  const { data, error, reload } = useResource<MessageJob[]>('/consent/messages');
  const active = !!data?.some((j) => j.status === 'queued' || j.status === 'sending');

  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, reload]);

  if (error) return <Page.Error />;
  if (!data) return <Page.Loading />;

  const title = t('messages.title', 'Messages');
  const statusLabel = (s: MessageJob['status']) =>
    s === 'done'
      ? t('messages.status.done', 'Done')
      : s === 'failed'
        ? t('messages.status.failed', 'Failed')
        : s === 'sending'
          ? t('messages.status.sending', 'Sending')
          : t('messages.status.queued', 'Queued');

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t(
          'messages.subtitle',
          'Mail sent through the plugin: only to people eligible at the moment of sending, each with a one-click unsubscribe'
        )}
      />
      <Layouts.Content>
        <PluginNav />
        {data.length === 0 ? (
          <EmptyStateLayout
            content={t(
              'messages.empty',
              'Nothing sent yet. Your back end sends with POST /api/consent/messages (see docs/back-ends.md).'
            )}
          />
        ) : (
          <Table colCount={5} rowCount={data.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('messages.subject', 'Subject')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('messages.purpose', 'Purpose')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('messages.status', 'Status')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('messages.progress', 'Progress')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('messages.outcome', 'Sent, skipped, failed')}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {data.map((job) => {
                const done = job.counts.sent + job.counts.skipped + job.counts.failed;
                const percent = job.counts.total ? Math.round((done / job.counts.total) * 100) : 100;
                return (
                  <Tr key={job.id}>
                    <Td>
                      <Typography fontWeight="bold">{job.subject}</Typography>
                    </Td>
                    <Td>
                      <Typography>{job.purpose}</Typography>
                    </Td>
                    <Td>
                      <Badge active={job.status === 'queued' || job.status === 'sending'}>
                        {statusLabel(job.status)}
                      </Badge>
                    </Td>
                    <Td>
                      <Flex gap={2} alignItems="center">
                        {/* Not the design system's ProgressBar: it is drawn for dark surfaces (a white fill on a
                            dark track), so on this white cell a finished send looked empty. */}
                        <Box
                          role="progressbar"
                          aria-valuemin={0}
                          aria-valuemax={100}
                          aria-valuenow={percent}
                          aria-label={t('messages.progressLabel', '{done} of {total} recipients handled', {
                            done,
                            total: job.counts.total,
                          })}
                          background="neutral150"
                          hasRadius
                          overflow="hidden"
                          style={{ width: '8rem', height: '0.5rem' }}
                        >
                          <Box background="primary600" style={{ width: `${percent}%`, height: '100%' }} />
                        </Box>
                        <Typography variant="pi">{`${percent} %`}</Typography>
                      </Flex>
                    </Td>
                    <Td>
                      <Typography>
                        {t('messages.counts', '{sent} sent, {skipped} skipped, {failed} failed of {total}', {
                          sent: job.counts.sent,
                          skipped: job.counts.skipped,
                          failed: job.counts.failed,
                          total: job.counts.total,
                        })}
                      </Typography>
                    </Td>
                  </Tr>
                );
              })}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export { MessagesPage };
