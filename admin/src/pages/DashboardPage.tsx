import { useState, type FormEvent } from 'react';
import { useIntl } from 'react-intl';
import { Box, Button, Flex, Grid, Typography } from '@strapi/design-system';
import { Search } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import type { ActionCounts, GetStats } from '../../../shared/contracts/records';
import { fieldErrorsOf, useResource } from '../api';
import { BarChart } from '../components/Chart';
import { PeriodFields } from '../components/PeriodFields';
import { PluginNav } from '../components/PluginNav';
import { grantsOf, utcDay } from '../utils/recordLabels';
import { useT } from '../utils/useT';

type Stats = GetStats.Response['data'];

const Figure = ({ label, value, hint }: { label: string; value: string; hint?: string }) => (
  <Grid.Item col={2} m={4} s={6} xs={12} direction="column" alignItems="stretch">
    <Box background="neutral0" hasRadius shadow="filterShadow" padding={4} height="100%">
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Typography variant="alpha" tag="p">
        {value}
      </Typography>
      {hint && (
        <Typography variant="pi" textColor="neutral600">
          {hint}
        </Typography>
      )}
    </Box>
  </Grid.Item>
);

/** Grants, refusals, withdrawals and objections per purpose over time, and the double opt-in confirmation rate. */
const DashboardPage = () => {
  const t = useT();
  const { formatNumber } = useIntl();
  const [period, setPeriod] = useState({ from: utcDay(-29), to: utcDay() });
  const [draft, setDraft] = useState(period);
  const { data, error } = useResource<Stats>(`/consent/stats?from=${period.from}&to=${period.to}`);
  const errors = error ? fieldErrorsOf(error) : {};

  if (error && Object.keys(errors).length === 0) return <Page.Error />;

  const percent = (rate: number | null) =>
    rate == null ? '—' : formatNumber(rate, { style: 'percent', maximumFractionDigits: 1 });
  const rateHint = (c: ActionCounts) =>
    t('dashboard.rateHint', '{confirmed} of {requested} confirmed', { confirmed: c.confirmed, requested: c.requested });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setPeriod(draft);
  };

  return (
    <Page.Main>
      <Page.Title>{t('dashboard.title', 'Dashboard')}</Page.Title>
      <Layouts.Header
        title={t('dashboard.title', 'Dashboard')}
        subtitle={t('dashboard.subtitle', 'Consents given, refused and withdrawn per purpose, by day (UTC)')}
      />
      <Layouts.Content>
        <PluginNav />
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} tag="form" onSubmit={apply}>
            <Flex gap={4} alignItems="flex-end" wrap="wrap">
              <PeriodFields value={draft} onChange={setDraft} errors={errors} />
              <Button type="submit" startIcon={<Search />}>
                {t('dashboard.show', 'Show')}
              </Button>
            </Flex>
          </Box>

          {!data ? (
            error ? null : (
              <Page.Loading />
            )
          ) : (
            <>
              <Grid.Root gap={4} data-testid="dashboard-totals">
                <Figure label={t('dashboard.grants', 'Grants')} value={formatNumber(grantsOf(data.totals))} />
                <Figure label={t('dashboard.refusals', 'Refusals')} value={formatNumber(data.totals.refused)} />
                <Figure label={t('dashboard.withdrawals', 'Withdrawals')} value={formatNumber(data.totals.withdrawn)} />
                <Figure label={t('dashboard.objections', 'Objections')} value={formatNumber(data.totals.objected)} />
                <Figure
                  label={t('dashboard.confirmationRate', 'Double opt-in confirmed')}
                  value={percent(data.totals.confirmationRate)}
                  hint={rateHint(data.totals)}
                />
              </Grid.Root>
              <Typography variant="pi" textColor="neutral600">
                {t(
                  'dashboard.grantsHint',
                  'Grants include double opt-in confirmations. The confirmation rate compares the confirmations and the requests of the period.'
                )}
              </Typography>
              {data.purposes.map((p) => (
                <Box
                  key={p.purpose}
                  background="neutral0"
                  hasRadius
                  shadow="filterShadow"
                  padding={6}
                  data-testid={`dashboard-${p.purpose}`}
                >
                  <Flex direction="column" alignItems="stretch" gap={4}>
                    <Flex justifyContent="space-between" alignItems="baseline" wrap="wrap" gap={2}>
                      <Typography variant="delta" tag="h2">
                        {p.name ? `${p.name} (${p.purpose})` : p.purpose}
                      </Typography>
                      {p.totals.requested > 0 && (
                        <Typography>
                          {t('dashboard.purposeRate', 'Double opt-in: {rate} confirmed ({confirmed} of {requested})', {
                            rate: percent(p.totals.confirmationRate),
                            confirmed: p.totals.confirmed,
                            requested: p.totals.requested,
                          })}
                        </Typography>
                      )}
                    </Flex>
                    <BarChart
                      label={p.name ?? p.purpose}
                      days={data.days}
                      series={[
                        {
                          key: 'grants',
                          label: t('dashboard.grants', 'Grants'),
                          color: 'success500',
                          values: p.days.map(grantsOf),
                        },
                        {
                          key: 'refusals',
                          label: t('dashboard.refusals', 'Refusals'),
                          color: 'neutral400',
                          values: p.days.map((d) => d.refused),
                        },
                        {
                          key: 'withdrawals',
                          label: t('dashboard.withdrawals', 'Withdrawals'),
                          color: 'danger500',
                          values: p.days.map((d) => d.withdrawn),
                        },
                        {
                          key: 'objections',
                          label: t('dashboard.objections', 'Objections'),
                          color: 'warning500',
                          values: p.days.map((d) => d.objected),
                        },
                      ]}
                    />
                  </Flex>
                </Box>
              ))}
            </>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export { DashboardPage };
