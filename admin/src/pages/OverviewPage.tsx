import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import type { GetSettings } from '../../../shared/contracts/settings';
import { ConsentWebhooks } from '../components/ConsentWebhooks';
import { getTranslation } from '../utils/getTranslation';

type Settings = GetSettings.Response['data'];

const Item = ({ label, value }: { label: string; value: string }) => (
  <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
    <Typography variant="sigma" textColor="neutral600">
      {label}
    </Typography>
    <Typography>{value}</Typography>
  </Grid.Item>
);

/** What the plugin runs with: controller identity, link base, privacy options, and what needs fixing. */
const OverviewPage = () => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [failed, setFailed] = useState(false);
  const t = (id: string, defaultMessage: string, values?: Record<string, string>) =>
    formatMessage({ id: getTranslation(id), defaultMessage }, values);

  useEffect(() => {
    get<GetSettings.Response>('/consent/settings')
      .then(({ data }) => setSettings(data.data))
      .catch(() => setFailed(true));
  }, [get]);

  if (failed) return <Page.Error />;
  if (!settings) return <Page.Loading />;

  const controller = [settings.controller.name, settings.controller.address, settings.controller.contact]
    .filter(Boolean)
    .join(' · ');

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name', 'Consent')}</Page.Title>
      <Layouts.Header
        title={t('overview.title', 'Consent configuration')}
        subtitle={t('overview.subtitle', 'Consent capture and proof of consent')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          {settings.warnings.length > 0 && (
            <Box background="warning100" borderColor="warning200" hasRadius padding={4} data-testid="consent-warnings">
              <Typography variant="delta" tag="h2">
                {t('overview.warnings', 'Needs attention before going live')}
              </Typography>
              <ul>
                {settings.warnings.map((w) => (
                  <li key={w}>
                    <Typography>{w}</Typography>
                  </li>
                ))}
              </ul>
            </Box>
          )}
          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
            <Grid.Root gap={4}>
              <Item label={t('overview.controller', 'Controller')} value={controller || '—'} />
              <Item label={t('overview.publicUrl', 'Public URL')} value={settings.publicUrl} />
              <Item label={t('overview.jurisdiction', 'Jurisdiction')} value={settings.jurisdiction} />
              <Item label={t('overview.ipStorage', 'IP address storage')} value={settings.ipStorage} />
              <Item
                label={t('overview.rateLimit', 'Rate limit (public routes)')}
                value={
                  settings.rateLimit
                    ? t('overview.rateLimit.value', '{max} requests per {window} s', {
                        max: String(settings.rateLimit.max),
                        window: String(settings.rateLimit.windowSeconds),
                      })
                    : t('overview.off', 'off')
                }
              />
              <Item
                label={t('overview.secret', 'Secret')}
                value={
                  settings.secretSource === 'config'
                    ? t('overview.secret.config', 'from configuration')
                    : t('overview.secret.generated', 'generated (development only)')
                }
              />
              <Item
                label={t('overview.database', 'Database')}
                value={`${settings.database.client} · forceMigration: ${String(settings.database.forceMigration)}`}
              />
            </Grid.Root>
          </Box>
          <ConsentWebhooks />
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export { OverviewPage };
