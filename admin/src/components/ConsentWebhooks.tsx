import { useState, type FormEvent } from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { useNotification, useRBAC } from '@strapi/strapi/admin';
import { WEBHOOK_EVENT_NAMES, type Webhook } from '../../../shared/contracts/webhooks';
import { useMutation, useResource, type FieldErrors } from '../api';
import { CheckboxGroup, TextField } from './Fields';
import { WebhookFailures } from './WebhookFailures';
import { useT } from '../utils/useT';

/** Strapi's own webhook permissions: the plugin adds no route, it calls `/admin/webhooks` as the Webhooks page does. */
const WEBHOOK_PERMISSIONS = {
  read: [{ action: 'admin::webhooks.read', subject: null }],
  create: [{ action: 'admin::webhooks.create', subject: null }],
  update: [{ action: 'admin::webhooks.update', subject: null }],
};

const isConsentEvent = (event: string) => event.startsWith('consent.');
const EVENT_OPTIONS = WEBHOOK_EVENT_NAMES.map((name) => ({ value: name, label: name }));

/** One webhook: its consent events, changed in place; events of other kinds are kept as they are. */
const WebhookRow = ({ hook, canUpdate, onSaved }: { hook: Webhook; canUpdate: boolean; onSaved: () => void }) => {
  const t = useT();
  const mutate = useMutation();
  const [busy, setBusy] = useState(false);
  const others = hook.events.filter((e) => !isConsentEvent(e));

  const change = async (consentEvents: string[]) => {
    if (consentEvents.length === 0 && others.length === 0) return; // Strapi refuses a webhook without events.
    setBusy(true);
    try {
      await mutate('put', `/admin/webhooks/${hook.id}`, {
        name: hook.name,
        url: hook.url,
        headers: hook.headers ?? {},
        events: [...others, ...consentEvents],
        isEnabled: hook.isEnabled,
      });
      onSaved();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box tag="li" paddingTop={3} paddingBottom={3} data-testid={`webhook-${hook.id}`}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography fontWeight="bold">
          {hook.name}
          {!hook.isEnabled && ` (${t('webhooks.disabled', 'disabled')})`}
        </Typography>
        <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
          {hook.url}
        </Typography>
        <CheckboxGroup
          name={`webhook-${hook.id}`}
          label={t('webhooks.events', 'Consent events')}
          value={hook.events.filter(isConsentEvent)}
          onChange={change}
          options={EVENT_OPTIONS}
          disabled={!canUpdate || busy}
          hint={
            others.length > 0
              ? t('webhooks.otherEvents', 'Also subscribed to: {events}', { events: others.join(', ') })
              : undefined
          }
        />
      </Flex>
    </Box>
  );
};

/**
 * Subscribes webhooks to the plugin's `consent.*` events. Strapi's own Webhooks page lists only Strapi's
 * built-in events, so without this a site owner could only reach these events through the admin API.
 */
const ConsentWebhooks = () => {
  const t = useT();
  const mutate = useMutation();
  const { toggleNotification } = useNotification();
  const { allowedActions, isLoading } = useRBAC(WEBHOOK_PERMISSIONS);
  const { data, error, reload } = useResource<Webhook[]>(allowedActions.canRead ? '/admin/webhooks' : null);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  if (isLoading || !allowedActions.canRead) return null;
  const hooks = (data ?? []).filter((w) => w.events.some(isConsentEvent));

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (events.length === 0) {
      setErrors({ events: t('webhooks.pickEvent', 'Pick at least one event.') });
      return;
    }
    setBusy(true);
    try {
      const { data: created, fieldErrors } = await mutate<Webhook>('post', '/admin/webhooks', {
        name,
        url,
        headers: {},
        events,
      });
      setErrors(fieldErrors);
      if (created) {
        setName('');
        setUrl('');
        setEvents([]);
        toggleNotification({ type: 'success', message: t('webhooks.created', 'Webhook created.') });
        reload();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} data-testid="consent-webhooks">
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2">
          {t('webhooks.title', 'Webhooks for consent events')}
        </Typography>
        <Typography textColor="neutral600">
          {t(
            'webhooks.intro',
            'Post every committed consent event to your CRM or mailing tool, so that a withdrawal reaches it at once. Each event is kept until the receiver accepts it, tried again with growing delays, and signed (see the back-ends guide). The other settings of these webhooks (headers, enabling) are on Settings → Webhooks.'
          )}
        </Typography>
        {error ? (
          <Typography textColor="danger600" role="alert">
            {t('webhooks.loadFailed', 'The webhooks could not be loaded.')}
          </Typography>
        ) : hooks.length === 0 ? (
          <Typography>{t('webhooks.none', 'No webhook receives consent events yet.')}</Typography>
        ) : (
          <ul>
            {hooks.map((hook) => (
              <WebhookRow key={hook.id} hook={hook} canUpdate={!!allowedActions.canUpdate} onSaved={reload} />
            ))}
          </ul>
        )}
        <WebhookFailures />
        {allowedActions.canCreate && (
          <Box tag="form" onSubmit={create} borderColor="neutral200" hasRadius padding={4}>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Typography variant="sigma" tag="h3">
                {t('webhooks.new', 'New webhook')}
              </Typography>
              <TextField
                name="name"
                label={t('webhooks.name', 'Name')}
                value={name}
                onChange={setName}
                error={errors.name}
                required
              />
              <TextField
                name="url"
                label={t('webhooks.url', 'URL')}
                value={url}
                onChange={setUrl}
                error={errors.url}
                required
              />
              <CheckboxGroup
                name="events"
                label={t('webhooks.events', 'Consent events')}
                value={events}
                onChange={setEvents}
                options={EVENT_OPTIONS}
                error={errors.events}
                required
              />
              <Flex>
                <Button type="submit" startIcon={<Plus />} loading={busy}>
                  {t('webhooks.create', 'Create webhook')}
                </Button>
              </Flex>
            </Flex>
          </Box>
        )}
      </Flex>
    </Box>
  );
};

export { ConsentWebhooks };
