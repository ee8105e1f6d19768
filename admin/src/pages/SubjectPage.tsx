import { useState } from 'react';
import {
  Badge,
  Box,
  Button,
  Dialog,
  Flex,
  Grid,
  Link,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ArrowLeft, ChevronDown, ChevronUp, Download, Trash } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { NavLink, useParams } from 'react-router-dom';
import type { EventNotice, GetSubject } from '../../../shared/contracts/records';
import type { EraseSubject, ExportSubject } from '../../../shared/contracts/subjects';
import { messageOf, useMutation, useResource } from '../api';
import { PluginNav } from '../components/PluginNav';
import { PERMISSIONS } from '../permissions';
import { useLabels } from '../utils/labels';
import { pluginPath } from '../utils/pluginPath';
import { STATE_TONE, useRecordLabels } from '../utils/recordLabels';
import { saveFile } from '../utils/saveFile';
import { useT } from '../utils/useT';
import { useCan } from '../utils/useCan';

type Subject = GetSubject.Response['data'];

const utc = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 19)} UTC` : '—');

const Item = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography data-testid={testId}>{value}</Typography>
  </Grid.Item>
);

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography variant="delta" tag="h2">
        {title}
      </Typography>
      {children}
    </Flex>
  </Box>
);

/** The notice text an event was recorded under, exactly as the person was shown it. */
const NoticeText = ({ notice, eventHash }: { notice: EventNotice; eventHash: string | null }) => {
  const t = useT();
  return (
    <Box background="neutral100" hasRadius padding={4} data-testid="notice-text" lang={notice.locale}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography fontWeight="bold">{notice.title}</Typography>
        <Typography style={{ whiteSpace: 'pre-wrap' }}>{notice.body}</Typography>
        {notice.withdrawal && <Typography>{notice.withdrawal}</Typography>}
        <Typography variant="pi" textColor="neutral600">
          {t('subject.dataCategories', 'Data processed: {list}', { list: notice.dataCategories.join(', ') || '—' })}
        </Typography>
        <Typography variant="pi" textColor="neutral600">
          {t('subject.recipients', 'Recipients: {list}', {
            list: notice.recipients.join(', ') || t('subject.noRecipients', 'none'),
          })}
        </Typography>
        {notice.privacyPolicyUrl && (
          <Typography variant="pi" textColor="neutral600">
            {t('subject.privacyPolicy', 'Privacy policy: {url}', { url: notice.privacyPolicyUrl })}
          </Typography>
        )}
        <Typography variant="pi" textColor="neutral600" style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
          {t('subject.noticeHash', 'Content hash: {hash}', { hash: notice.hash ?? '—' })}
        </Typography>
        {eventHash && notice.hash && eventHash !== notice.hash && (
          <Typography textColor="danger600" role="alert">
            {t('subject.hashMismatch', 'The event names another hash than this notice version: check the ledger.')}
          </Typography>
        )}
      </Flex>
    </Box>
  );
};

/** One person: identifiers, the current state per purpose and channel, and the timeline of their events. */
const SubjectPage = () => {
  const t = useT();
  const labels = useLabels();
  const recordLabels = useRecordLabels();
  const { pseudonym } = useParams<{ pseudonym: string }>();
  const { get } = useFetchClient();
  const mutate = useMutation();
  const { toggleNotification } = useNotification();
  const canExport = useCan(PERMISSIONS.recordsExport).can;
  const canErase = useCan(PERMISSIONS.subjectsErase).can;
  const { data, error, reload } = useResource<Subject>(`/consent/subjects/${encodeURIComponent(pseudonym ?? '')}`);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [exporting, setExporting] = useState(false);

  if (error) return <Page.Error />;
  if (!data) return <Page.Loading />;

  const { subject, states, timeline } = data;
  const name = subject.email ?? subject.phone ?? subject.externalId;
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  /** Art. 15/20: everything held about the person, as the JSON document the rights service builds. */
  const exportSubject = async () => {
    setExporting(true);
    try {
      const res = await get<ExportSubject.Response>(
        `/consent/subjects/${encodeURIComponent(subject.pseudonym)}/export`
      );
      saveFile(
        new Blob([JSON.stringify(res.data.data, null, 2)], { type: 'application/json' }),
        `consent-subject-${subject.pseudonym}.json`
      );
    } catch (err) {
      toggleNotification({ type: 'danger', message: messageOf(err) });
    } finally {
      setExporting(false);
    }
  };

  const erase = async () => {
    const { data: erased } = await mutate<EraseSubject.Response['data']>(
      'post',
      `/consent/subjects/${encodeURIComponent(subject.pseudonym)}/erase`
    );
    if (erased) {
      toggleNotification({ type: 'success', message: t('subject.erased', 'The person’s identifiers were erased.') });
      reload();
    }
  };

  const actions = (
    <Flex gap={2}>
      {canExport && (
        <Button variant="secondary" startIcon={<Download />} onClick={exportSubject} loading={exporting}>
          {t('subject.export', 'Export')}
        </Button>
      )}
      {canErase && !subject.erasedAt && (
        <Dialog.Root>
          <Dialog.Trigger>
            <Button variant="danger-light" startIcon={<Trash />}>
              {t('subject.erase', 'Erase')}
            </Button>
          </Dialog.Trigger>
          <Dialog.Content>
            <Dialog.Header>{t('subject.eraseTitle', 'Erase this person?')}</Dialog.Header>
            <Dialog.Body>
              <Typography>
                {t(
                  'subject.eraseBody',
                  'Their email address, phone number, external id and profile are deleted for good. The pseudonymous ledger and the do-not-contact entries stay, as proof and so that they are never contacted again.'
                )}
              </Typography>
            </Dialog.Body>
            <Dialog.Footer>
              <Dialog.Cancel>
                <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
              </Dialog.Cancel>
              <Dialog.Action>
                <Button variant="danger" onClick={erase}>
                  {t('subject.eraseConfirm', 'Erase')}
                </Button>
              </Dialog.Action>
            </Dialog.Footer>
          </Dialog.Content>
        </Dialog.Root>
      )}
    </Flex>
  );

  return (
    <Page.Main>
      <Page.Title>{name ?? subject.pseudonym}</Page.Title>
      <Layouts.Header
        navigationAction={
          <Link tag={NavLink} to={pluginPath('ledger')} startIcon={<ArrowLeft />}>
            {t('subject.back', 'Back to the ledger')}
          </Link>
        }
        title={name ?? t('subject.anonymous', 'Person without identifiers')}
        subtitle={t('subject.pseudonym', 'Pseudonym {pseudonym}', { pseudonym: subject.pseudonym })}
        primaryAction={actions}
      />
      <Layouts.Content>
        <PluginNav />
        <Flex direction="column" alignItems="stretch" gap={4}>
          {subject.erasedAt && (
            <Box background="neutral150" hasRadius padding={4} role="status">
              <Typography>
                {t('subject.erasedAt', 'Erased on {date}: only the pseudonymous records remain.', {
                  date: utc(subject.erasedAt),
                })}
              </Typography>
            </Box>
          )}
          <Section title={t('subject.identifiers', 'Identifiers')}>
            <Grid.Root gap={4}>
              <Item label={t('subject.email', 'Email')} value={subject.email ?? '—'} testId="subject-email" />
              <Item label={t('subject.phone', 'Phone')} value={subject.phone ?? '—'} />
              <Item label={t('subject.externalId', 'External id')} value={subject.externalId ?? '—'} />
              <Item label={t('subject.language', 'Language')} value={subject.language ?? '—'} />
              <Item
                label={t('subject.audience', 'Audience')}
                value={subject.audience ? labels.audience[subject.audience] : '—'}
              />
              <Item label={t('subject.jurisdiction', 'Jurisdiction')} value={subject.jurisdiction ?? '—'} />
              <Item label={t('subject.createdAt', 'First recorded')} value={utc(subject.createdAt)} />
            </Grid.Root>
          </Section>

          <Section title={t('subject.states', 'Current state')}>
            {states.length === 0 ? (
              <Typography textColor="neutral600">{t('subject.noStates', 'No decision on record.')}</Typography>
            ) : (
              <Table colCount={6} rowCount={states.length + 1}>
                <Thead>
                  <Tr>
                    {[
                      t('ledger.purpose', 'Purpose'),
                      t('ledger.channel', 'Channel'),
                      t('ledger.state', 'State'),
                      t('subject.since', 'Since'),
                      t('ledger.notice', 'Notice'),
                      t('subject.expiresAt', 'Expires'),
                    ].map((label) => (
                      <Th key={label}>
                        <Typography variant="sigma">{label}</Typography>
                      </Th>
                    ))}
                  </Tr>
                </Thead>
                <Tbody>
                  {states.map((s) => (
                    <Tr key={`${s.purpose}:${s.channel}`} data-testid={`state-${s.purpose}-${s.channel}`}>
                      <Td>
                        <Typography>{s.purpose}</Typography>
                      </Td>
                      <Td>
                        <Typography>{labels.channel[s.channel] ?? s.channel}</Typography>
                      </Td>
                      <Td>
                        <Flex gap={1}>
                          <Badge
                            backgroundColor={STATE_TONE[s.state]?.background}
                            textColor={STATE_TONE[s.state]?.text}
                          >
                            {recordLabels.state[s.state] ?? s.state}
                          </Badge>
                          {s.reconsentRequired && <Badge>{t('subject.reconsent', 'Needs re-consent')}</Badge>}
                        </Flex>
                      </Td>
                      <Td>
                        <Typography>{utc(s.changedAt)}</Typography>
                      </Td>
                      <Td>
                        <Typography>{s.noticeVersion == null ? '—' : `v${s.noticeVersion}`}</Typography>
                      </Td>
                      <Td>
                        <Typography>{utc(s.expiresAt)}</Typography>
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            )}
          </Section>

          <Section title={t('subject.timeline', 'Timeline')}>
            <Flex direction="column" alignItems="stretch" gap={3} tag="ol" data-testid="timeline">
              {timeline.map((e) => (
                <Box key={e.eventId} tag="li" padding={4} hasRadius borderColor="neutral200" data-action={e.action}>
                  <Flex direction="column" alignItems="stretch" gap={2}>
                    <Flex gap={3} wrap="wrap" alignItems="center">
                      <Typography variant="pi" textColor="neutral600">
                        {utc(e.occurredAt)} · #{e.seq}
                      </Typography>
                      <Typography fontWeight="bold">
                        {e.purpose} · {labels.channel[e.channel] ?? e.channel}
                      </Typography>
                      <Typography>{recordLabels.action[e.action] ?? e.action}</Typography>
                      <Badge backgroundColor={STATE_TONE[e.state]?.background} textColor={STATE_TONE[e.state]?.text}>
                        {recordLabels.state[e.state] ?? e.state}
                      </Badge>
                      <Typography variant="pi" textColor="neutral600">
                        {[
                          recordLabels.method[e.method] ?? e.method,
                          e.formKey && t('subject.form', 'form {form}', { form: e.formKey }),
                          e.receiptId && t('subject.receipt', 'receipt {receipt}', { receipt: e.receiptId }),
                          e.actor,
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </Typography>
                    </Flex>
                    {e.notice ? (
                      <Flex direction="column" alignItems="stretch" gap={2}>
                        <Box>
                          <Button
                            variant="tertiary"
                            size="S"
                            endIcon={open.has(e.eventId) ? <ChevronUp /> : <ChevronDown />}
                            onClick={() => toggle(e.eventId)}
                            aria-expanded={open.has(e.eventId)}
                          >
                            {t('subject.showNotice', 'Notice v{version} ({locale})', {
                              version: e.notice.version,
                              locale: e.notice.locale,
                            })}
                          </Button>
                        </Box>
                        {open.has(e.eventId) && <NoticeText notice={e.notice} eventHash={e.noticeHash} />}
                      </Flex>
                    ) : (
                      <Typography variant="pi" textColor="neutral600">
                        {t('subject.noNotice', 'No notice text: this event did not present one.')}
                      </Typography>
                    )}
                  </Flex>
                </Box>
              ))}
            </Flex>
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export { SubjectPage };
