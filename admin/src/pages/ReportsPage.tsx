import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  Box,
  Button,
  EmptyStateLayout,
  Flex,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Download, Plus } from '@strapi/icons';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import type { ReportList, ReportSummary } from '../../../shared/contracts/reports';
import { fieldErrorsOf, messageOf, type FieldErrors } from '../api';
import { CheckboxGroup } from '../components/Fields';
import { PeriodFields } from '../components/PeriodFields';
import { PluginNav } from '../components/PluginNav';
import { utcDay } from '../utils/recordLabels';
import { saveFile } from '../utils/saveFile';
import { useT } from '../utils/useT';

/**
 * Compliance reports (issue 22): pick a period and purposes, generate a signed report, download it as
 * JSON (what the offline verifier checks) or PDF (what a reader prints). Reports are never changed, so
 * the list only grows.
 */
const ReportsPage = () => {
  const t = useT();
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [list, setList] = useState<ReportList | null>(null);
  const [failed, setFailed] = useState(false);
  const [draft, setDraft] = useState({ from: utcDay(-29), to: utcDay(), purposes: [] as string[] });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(
    () =>
      get<ReportList>('/consent/reports')
        .then((res) => setList(res.data))
        .catch(() => setFailed(true)),
    [get]
  );
  useEffect(() => {
    load();
  }, [load]);

  const generate = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('generate');
    try {
      await post('/consent/reports', draft);
      setErrors({});
      toggleNotification({ type: 'success', message: t('reports.generated', 'Report generated and signed') });
      await load();
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      toggleNotification({ type: 'danger', message: messageOf(err) });
    } finally {
      setBusy(null);
    }
  };

  const download = async (report: ReportSummary, kind: 'json' | 'pdf') => {
    setBusy(`${report.id}:${kind}`);
    try {
      const name = `consent-report-${report.from}-${report.id.slice(0, 8)}.${kind}`;
      if (kind === 'pdf') {
        const res = await get(`/consent/reports/${report.id}/pdf`, { responseType: 'blob' });
        saveFile(res.data as Blob, name);
      } else {
        // The API's answer as it is: `{ data: { id, report, jws } }` is what the verify command reads.
        const res = await get(`/consent/reports/${report.id}`);
        saveFile(new Blob([JSON.stringify(res.data, null, 2)], { type: 'application/json' }), name);
      }
    } catch (err) {
      toggleNotification({ type: 'danger', message: messageOf(err) });
    } finally {
      setBusy(null);
    }
  };

  if (failed) return <Page.Error />;
  if (!list) return <Page.Loading />;

  const options = list.meta.purposes.map((p) => ({
    value: p.key,
    label: p.active ? `${p.name} (${p.key})` : `${p.name} (${p.key}, ${t('reports.archived', 'archived')})`,
  }));

  return (
    <Page.Main>
      <Page.Title>{t('reports.title', 'Reports')}</Page.Title>
      <Layouts.Header
        title={t('reports.title', 'Reports')}
        subtitle={t(
          'reports.subtitle',
          'Signed compliance reports for a period: what a data-protection authority asks for'
        )}
      />
      <Layouts.Content>
        <PluginNav />
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} tag="form" onSubmit={generate}>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Flex gap={4} alignItems="flex-end" wrap="wrap">
                <PeriodFields
                  value={draft}
                  onChange={(period) => setDraft((d) => ({ ...d, ...period }))}
                  errors={errors}
                />
              </Flex>
              <CheckboxGroup
                name="purposes"
                label={t('reports.purposes', 'Purposes')}
                value={draft.purposes}
                onChange={(purposes) => setDraft((d) => ({ ...d, purposes }))}
                options={options}
                error={errors.purposes}
                required
              />
              <Box>
                <Button
                  type="submit"
                  startIcon={<Plus />}
                  loading={busy === 'generate'}
                  disabled={draft.purposes.length === 0}
                >
                  {t('reports.generate', 'Generate report')}
                </Button>
              </Box>
              <Typography variant="pi" textColor="neutral600">
                {t(
                  'reports.hint',
                  'The report is signed with the receipt key and kept unchanged. Its PDF states the SHA-256 of the JSON; anyone can check the JSON with the public key set and npx strapi-plugin-consent verify.'
                )}
              </Typography>
            </Flex>
          </Box>

          {list.data.length === 0 ? (
            <EmptyStateLayout content={t('reports.empty', 'No report yet.')} />
          ) : (
            <Table colCount={5} rowCount={list.data.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('reports.period', 'Period')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('reports.purposes', 'Purposes')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('reports.generatedAt', 'Generated (UTC)')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('reports.hash', 'SHA-256')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('reports.download', 'Download')}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {list.data.map((r) => (
                  <Tr key={r.id}>
                    <Td>
                      <Typography>
                        {r.from} – {r.to}
                      </Typography>
                    </Td>
                    <Td>
                      <Typography>{r.purposes.join(', ')}</Typography>
                    </Td>
                    <Td>
                      <Typography>{r.generatedAt?.slice(0, 16).replace('T', ' ')}</Typography>
                    </Td>
                    <Td>
                      <Typography title={r.hash} tag="code">
                        {r.hash.slice(0, 16)}…
                      </Typography>
                    </Td>
                    <Td>
                      <Flex gap={2}>
                        <Button
                          variant="tertiary"
                          size="S"
                          startIcon={<Download />}
                          loading={busy === `${r.id}:json`}
                          onClick={() => download(r, 'json')}
                        >
                          JSON
                        </Button>
                        <Button
                          variant="tertiary"
                          size="S"
                          startIcon={<Download />}
                          loading={busy === `${r.id}:pdf`}
                          onClick={() => download(r, 'pdf')}
                        >
                          PDF
                        </Button>
                      </Flex>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export { ReportsPage };
