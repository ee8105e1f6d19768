import { useEffect, useMemo, useState, type FormEvent } from 'react';
import {
  Badge,
  Box,
  Button,
  EmptyStateLayout,
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
import { Download, Search } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { NavLink, useNavigate, useSearchParams } from 'react-router-dom';
import { ACTIONS, METHODS } from '../../../shared/contracts/domain';
import type { FindSubject, GetStats, ListEvents } from '../../../shared/contracts/records';
import { fieldErrorsOf, messageOf, type FieldErrors } from '../api';
import { SelectField, TextField } from '../components/Fields';
import { PluginNav } from '../components/PluginNav';
import { ReplayLedger } from '../components/ReplayLedger';
import { VerifyLedger } from '../components/VerifyLedger';
import { PERMISSIONS } from '../permissions';
import { useLabels } from '../utils/labels';
import { pluginPath } from '../utils/pluginPath';
import { STATE_TONE, useRecordLabels, utcDay } from '../utils/recordLabels';
import { saveFile } from '../utils/saveFile';
import { useT } from '../utils/useT';
import { useCan } from '../utils/useCan';

/** The filters live in the address bar, so a subject page's "back" and a shared link keep the selection. */
const FILTERS = ['who', 'purpose', 'action', 'method', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const ANY = '*';
const PAGE_SIZES = ['25', '50', '100'];

const filtersOf = (params: URLSearchParams): Filters =>
  Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Filters;

/** The API's query for the filters: "who" is an email when it has an @, else a pseudonym. */
const apiQuery = (f: Filters) => {
  const q = new URLSearchParams();
  const who = f.who.trim();
  if (who) q.set(who.includes('@') ? 'email' : 'subject', who);
  for (const k of ['purpose', 'action', 'method', 'from', 'to'] as const) if (f[k]) q.set(k, f[k]);
  return q;
};

const short = (pseudonym: string) => (pseudonym.length > 13 ? `${pseudonym.slice(0, 8)}…` : pseudonym);

/** Every purpose key with its name, from the stats route: readable with `records.read` alone. */
const usePurposeOptions = () => {
  const { get } = useFetchClient();
  const [purposes, setPurposes] = useState<Array<{ value: string; label: string }>>([]);
  useEffect(() => {
    const today = utcDay();
    get<GetStats.Response>(`/consent/stats?from=${today}&to=${today}`)
      .then(({ data }) =>
        setPurposes(
          data.data.purposes.map((p) => ({ value: p.purpose, label: p.name ? `${p.name} (${p.purpose})` : p.purpose }))
        )
      )
      .catch(() => setPurposes([]));
  }, [get]);
  return purposes;
};

/** Looks a person up by email or phone and opens their record. */
const FindPerson = () => {
  const t = useT();
  const { get } = useFetchClient();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const find = async (e: FormEvent) => {
    e.preventDefault();
    const identifier = value.trim();
    if (!identifier) return;
    setBusy(true);
    setError(undefined);
    const type = identifier.includes('@') ? 'email' : 'phone';
    try {
      const { data } = await get<FindSubject.Response>(`/consent/subjects?${type}=${encodeURIComponent(identifier)}`);
      navigate(pluginPath(`subjects/${data.data.pseudonym}`));
    } catch (err) {
      const status = (err as { status?: number }).status;
      setError(
        status === 404
          ? t('ledger.findNobody', 'Nobody with this address or number is on record.')
          : (fieldErrorsOf(err)[type] ?? messageOf(err))
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} tag="form" onSubmit={find}>
      <Flex gap={4} alignItems="flex-end">
        <Box flex="1">
          <TextField
            name="find"
            label={t('ledger.find', 'Find a person')}
            value={value}
            onChange={setValue}
            error={error}
            hint={t(
              'ledger.findHint',
              'Email address or phone number; looked up by keyed hash, as the ledger stores them.'
            )}
          />
        </Box>
        <Button type="submit" startIcon={<Search />} loading={busy}>
          {t('ledger.open', 'Open record')}
        </Button>
      </Flex>
    </Box>
  );
};

/** The ledger explorer: every event as recorded, filtered and paged; CSV export and chain verification. */
const LedgerPage = () => {
  const t = useT();
  const labels = useLabels();
  const recordLabels = useRecordLabels();
  const { get } = useFetchClient();
  const { toggleNotification } = useNotification();
  const canExport = useCan(PERMISSIONS.recordsExport).can;
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => filtersOf(params), [params]);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = PAGE_SIZES.includes(params.get('pageSize') ?? '') ? params.get('pageSize')! : '25';
  const [draft, setDraft] = useState<Filters>(applied);
  const [result, setResult] = useState<ListEvents.Response | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failed, setFailed] = useState(false);
  const [exporting, setExporting] = useState(false);
  const purposes = usePurposeOptions();

  useEffect(() => setDraft(applied), [applied]);

  useEffect(() => {
    let cancelled = false;
    const q = apiQuery(applied);
    q.set('page', String(page));
    q.set('pageSize', pageSize);
    get<ListEvents.Response>(`/consent/events?${q}`)
      .then(({ data }) => {
        if (cancelled) return;
        setResult(data);
        setErrors({});
      })
      .catch((err) => {
        if (cancelled) return;
        const fieldErrors = fieldErrorsOf(err);
        if (Object.keys(fieldErrors).length === 0) setFailed(true);
        setErrors(fieldErrors);
        setResult({ data: [], meta: { pagination: { page: 1, pageSize: Number(pageSize), total: 0, pageCount: 0 } } });
      });
    return () => {
      cancelled = true;
    };
  }, [get, applied, page, pageSize]);

  const navigateTo = (f: Filters, nextPage = 1, size = pageSize) => {
    const next = new URLSearchParams();
    for (const k of FILTERS) if (f[k]) next.set(k, f[k]);
    if (nextPage > 1) next.set('page', String(nextPage));
    if (size !== '25') next.set('pageSize', size);
    setParams(next);
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    navigateTo(draft);
  };
  const reset = () => navigateTo(Object.fromEntries(FILTERS.map((k) => [k, ''])) as Filters);
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v === ANY ? '' : v }));

  const exportCsv = async () => {
    setExporting(true);
    try {
      const res = await get(`/consent/events/export?${apiQuery(applied)}`, { responseType: 'blob' });
      const name =
        /filename="([^"]+)"/.exec(res.headers?.get('Content-Disposition') ?? '')?.[1] ?? 'consent-events.csv';
      saveFile(res.data, name);
    } catch (err) {
      toggleNotification({ type: 'danger', message: messageOf(err) });
    } finally {
      setExporting(false);
    }
  };

  if (failed) return <Page.Error />;

  const any = { value: ANY, label: t('ledger.any', 'Any') };
  const pagination = result?.meta.pagination;
  const columns = [
    t('ledger.time', 'Time (UTC)'),
    t('ledger.seq', 'No.'),
    t('ledger.subject', 'Person'),
    t('ledger.purpose', 'Purpose'),
    t('ledger.channel', 'Channel'),
    t('ledger.action', 'Action'),
    t('ledger.state', 'State'),
    t('ledger.method', 'Method'),
    t('ledger.notice', 'Notice'),
  ];

  return (
    <Page.Main>
      <Page.Title>{t('ledger.title', 'Ledger')}</Page.Title>
      <Layouts.Header
        title={t('ledger.title', 'Ledger')}
        subtitle={t(
          'ledger.subtitle',
          'Every consent event as recorded, newest first: search, export and check the chain'
        )}
        primaryAction={
          canExport && (
            <Button startIcon={<Download />} onClick={exportCsv} loading={exporting}>
              {t('ledger.export', 'Export CSV')}
            </Button>
          )
        }
      />
      <Layouts.Content>
        <PluginNav />
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <VerifyLedger />
              <ReplayLedger />
            </Flex>
          </Box>
          <FindPerson />
          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} tag="form" onSubmit={apply}>
            <Grid.Root gap={4}>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <TextField
                  name="who"
                  label={t('ledger.who', 'Email or pseudonym')}
                  value={draft.who}
                  onChange={set('who')}
                  error={errors.email ?? errors.subject}
                />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <SelectField
                  name="purpose"
                  label={t('ledger.purpose', 'Purpose')}
                  value={draft.purpose || ANY}
                  onChange={set('purpose')}
                  error={errors.purpose}
                  options={[any, ...purposes]}
                />
              </Grid.Item>
              <Grid.Item col={2} s={6} direction="column" alignItems="stretch">
                <SelectField
                  name="action"
                  label={t('ledger.action', 'Action')}
                  value={draft.action || ANY}
                  onChange={set('action')}
                  error={errors.action}
                  options={[any, ...ACTIONS.map((a) => ({ value: a, label: recordLabels.action[a] }))]}
                />
              </Grid.Item>
              <Grid.Item col={2} s={6} direction="column" alignItems="stretch">
                <SelectField
                  name="method"
                  label={t('ledger.method', 'Method')}
                  value={draft.method || ANY}
                  onChange={set('method')}
                  error={errors.method}
                  options={[any, ...METHODS.map((m) => ({ value: m, label: recordLabels.method[m] }))]}
                />
              </Grid.Item>
              <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
                <TextField
                  name="from"
                  type="date"
                  label={t('ledger.from', 'From (UTC day)')}
                  value={draft.from}
                  onChange={set('from')}
                  error={errors.from}
                />
              </Grid.Item>
              <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
                <TextField
                  name="to"
                  type="date"
                  label={t('ledger.to', 'To (UTC day, included)')}
                  value={draft.to}
                  onChange={set('to')}
                  error={errors.to}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12} alignItems="flex-end" justifyContent="flex-end">
                <Flex gap={2}>
                  <Button type="button" variant="tertiary" onClick={reset}>
                    {t('ledger.reset', 'Clear filters')}
                  </Button>
                  <Button type="submit" startIcon={<Search />}>
                    {t('ledger.apply', 'Search')}
                  </Button>
                </Flex>
              </Grid.Item>
            </Grid.Root>
          </Box>

          {!result ? (
            <Page.Loading />
          ) : result.data.length === 0 ? (
            <EmptyStateLayout content={t('ledger.empty', 'No event matches these filters.')} />
          ) : (
            <Table colCount={columns.length} rowCount={result.data.length + 1} data-testid="ledger-table">
              <Thead>
                <Tr>
                  {columns.map((label) => (
                    <Th key={label}>
                      <Typography variant="sigma">{label}</Typography>
                    </Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {result.data.map((e) => (
                  <Tr key={e.eventId}>
                    <Td>
                      <Typography>{e.occurredAt.replace('T', ' ').slice(0, 19)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{e.seq}</Typography>
                    </Td>
                    <Td>
                      {e.subject == null ? (
                        // I5: past its proof period the event names nobody any more.
                        <Typography textColor="neutral600">{t('ledger.pruned', 'Pruned')}</Typography>
                      ) : (
                        <Link
                          tag={NavLink}
                          to={pluginPath(`subjects/${e.subject}`)}
                          title={e.subject}
                          aria-label={e.subject}
                        >
                          {short(e.subject)}
                        </Link>
                      )}
                    </Td>
                    <Td>
                      <Typography>{e.purpose}</Typography>
                    </Td>
                    <Td>
                      <Typography>{labels.channel[e.channel] ?? e.channel}</Typography>
                    </Td>
                    <Td>
                      <Typography>{recordLabels.action[e.action] ?? e.action}</Typography>
                    </Td>
                    <Td>
                      <Badge backgroundColor={STATE_TONE[e.state]?.background} textColor={STATE_TONE[e.state]?.text}>
                        {recordLabels.state[e.state] ?? e.state}
                      </Badge>
                    </Td>
                    <Td>
                      <Typography>{recordLabels.method[e.method] ?? e.method}</Typography>
                    </Td>
                    <Td>
                      <Typography>
                        {e.noticeVersion == null
                          ? '—'
                          : `v${e.noticeVersion}${e.noticeLocale ? ` (${e.noticeLocale})` : ''}`}
                      </Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}

          {pagination && pagination.total > 0 && (
            <Flex justifyContent="space-between" alignItems="flex-end" gap={4} wrap="wrap">
              <Box minWidth="10rem" data-testid="ledger-page-size">
                <SelectField
                  name="pageSize"
                  label={t('ledger.pageSize', 'Per page')}
                  value={pageSize}
                  onChange={(v) => navigateTo(applied, 1, v)}
                  options={PAGE_SIZES.map((s) => ({ value: s, label: s }))}
                />
              </Box>
              <Flex gap={3} alignItems="center">
                <Typography textColor="neutral600" data-testid="ledger-pagination">
                  {t('ledger.pageOf', 'Page {page} of {pageCount} · {total} events', {
                    page: pagination.page,
                    pageCount: Math.max(1, pagination.pageCount),
                    total: pagination.total,
                  })}
                </Typography>
                <Button variant="tertiary" disabled={page <= 1} onClick={() => navigateTo(applied, page - 1)}>
                  {t('ledger.previous', 'Previous')}
                </Button>
                <Button
                  variant="tertiary"
                  disabled={page >= pagination.pageCount}
                  onClick={() => navigateTo(applied, page + 1)}
                >
                  {t('ledger.next', 'Next')}
                </Button>
              </Flex>
            </Flex>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export { LedgerPage };
