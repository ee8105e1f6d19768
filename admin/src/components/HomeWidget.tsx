import { useIntl } from 'react-intl';
import { Flex, Grid, Typography } from '@strapi/design-system';
import { Widget } from '@strapi/strapi/admin';
import type { GetStats } from '../../../shared/contracts/records';
import { useResource } from '../api';
import { grantsOf, utcDay } from '../utils/recordLabels';
import { useT } from '../utils/useT';

const Count = ({ label, value }: { label: string; value: string }) => (
  <Grid.Item col={4} s={6} direction="column" alignItems="flex-start">
    <Typography variant="pi" textColor="neutral600">
      {label}
    </Typography>
    <Typography variant="beta" tag="p">
      {value}
    </Typography>
  </Grid.Item>
);

/** Home page: the last 7 days (UTC) across all purposes. */
const HomeWidget = () => {
  const t = useT();
  const { formatNumber } = useIntl();
  const { data, error } = useResource<GetStats.Response['data']>(`/consent/stats?from=${utcDay(-6)}&to=${utcDay()}`);

  if (error) return <Widget.Error />;
  if (!data) return <Widget.Loading />;
  const c = data.totals;
  if (grantsOf(c) + c.refused + c.withdrawn + c.objected + c.requested === 0) {
    return <Widget.NoData>{t('widget.empty', 'No consent recorded in the last 7 days.')}</Widget.NoData>;
  }

  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="consent-widget">
      <Grid.Root gap={3}>
        <Count label={t('dashboard.grants', 'Grants')} value={formatNumber(grantsOf(c))} />
        <Count label={t('dashboard.refusals', 'Refusals')} value={formatNumber(c.refused)} />
        <Count label={t('dashboard.withdrawals', 'Withdrawals')} value={formatNumber(c.withdrawn)} />
        <Count label={t('dashboard.objections', 'Objections')} value={formatNumber(c.objected)} />
        <Count
          label={t('dashboard.confirmationRate', 'Double opt-in confirmed')}
          value={
            c.confirmationRate == null
              ? '—'
              : formatNumber(c.confirmationRate, { style: 'percent', maximumFractionDigits: 1 })
          }
        />
      </Grid.Root>
    </Flex>
  );
};

export { HomeWidget };
