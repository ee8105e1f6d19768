import { useEffect, useState } from 'react';
import { Box, Button, Flex, Grid, Typography } from '@strapi/design-system';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import {
  AUDIENCES,
  CHANNELS,
  LEGAL_BASES,
  mechanismOf,
  SECTORS,
  type LegalBasis,
  type Sector,
} from '../../../shared/contracts/domain';
import type { Purpose, PurposeInput } from '../../../shared/contracts/purposes';
import { useMutation, useResource, type FieldErrors } from '../api';
import { CheckboxGroup, SelectField, TextAreaField, TextField, ToggleField } from '../components/Fields';
import { NoticeVersions } from '../components/NoticeVersions';
import { PluginNav } from '../components/PluginNav';
import { PERMISSIONS } from '../permissions';
import { useLabels } from '../utils/labels';
import { pluginPath } from '../utils/pluginPath';
import { useT } from '../utils/useT';
import { useCan } from '../utils/useCan';

type Draft = Required<
  Omit<PurposeInput, 'minimumAge' | 'lifetimeDays' | 'translations' | 'balancingTest' | 'sector'>
> & {
  balancingTest: string;
  sector: Sector | '';
  minimumAge: string;
  lifetimeDays: string;
  de: { name: string; description: string };
  fr: { name: string; description: string };
};

const empty: Draft = {
  key: '',
  name: '',
  description: '',
  legalBasis: 'consent',
  // A4: consent is given per channel, so none is chosen for the editor.
  channels: [],
  audience: 'any',
  doubleOptIn: false,
  softOptIn: false,
  honorGpc: false,
  directMarketing: false,
  balancingTest: '',
  sector: '',
  minimumAge: '',
  lifetimeDays: '',
  defaultLocale: 'en',
  active: true,
  de: { name: '', description: '' },
  fr: { name: '', description: '' },
};

const fromPurpose = (p: Purpose): Draft => ({
  key: p.key,
  name: p.name,
  description: p.description,
  legalBasis: p.legalBasis,
  channels: p.channels,
  audience: p.audience,
  doubleOptIn: p.doubleOptIn,
  softOptIn: p.softOptIn,
  honorGpc: p.honorGpc,
  directMarketing: p.directMarketing,
  balancingTest: p.balancingTest ?? '',
  sector: p.sector ?? '',
  defaultLocale: p.defaultLocale,
  active: p.active,
  minimumAge: p.minimumAge == null ? '' : String(p.minimumAge),
  lifetimeDays: p.lifetimeDays == null ? '' : String(p.lifetimeDays),
  de: { name: p.translations.de?.name ?? '', description: p.translations.de?.description ?? '' },
  fr: { name: p.translations.fr?.name ?? '', description: p.translations.fr?.description ?? '' },
});

const toInput = ({
  de,
  fr,
  minimumAge,
  lifetimeDays,
  directMarketing,
  balancingTest,
  sector,
  ...rest
}: Draft): PurposeInput => {
  const translations: PurposeInput['translations'] = {};
  for (const [code, tr] of [
    ['de', de],
    ['fr', fr],
  ] as const) {
    if (tr.name.trim())
      translations[code] = {
        name: tr.name.trim(),
        ...(tr.description.trim() ? { description: tr.description.trim() } : {}),
      };
  }
  return {
    ...rest,
    translations,
    // The editor chooses only for contract purposes; the server derives it for every other basis.
    ...(rest.legalBasis === 'contract' ? { directMarketing } : {}),
    balancingTest: balancingTest.trim() === '' ? null : balancingTest.trim(),
    sector: sector === '' ? null : sector,
    minimumAge: minimumAge.trim() === '' ? null : Number(minimumAge),
    lifetimeDays: lifetimeDays.trim() === '' ? null : Number(lifetimeDays),
  };
};

/** Create or edit a purpose; below it, the purpose's notices per language. */
const PurposeEditPage = () => {
  const t = useT();
  const labels = useLabels();
  const navigate = useNavigate();
  const { key } = useParams<{ key: string }>();
  const isNew = !key;
  const { toggleNotification } = useNotification();
  const readOnly = !useCan(PERMISSIONS.purposesManage).can;
  const { data: purpose, error } = useResource<Purpose>(isNew ? null : `/consent/purposes/${key}`);
  const mutate = useMutation();
  const [draft, setDraft] = useState<Draft>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (purpose) setDraft(fromPurpose(purpose));
  }, [purpose]);

  if (error) return <Page.Error />;
  if (!isNew && !purpose) return <Page.Loading />;

  const set =
    <K extends keyof Draft>(field: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [field]: value }));
  const used = !!purpose?.used;

  const noChannel = t('purposes.channelsRequired', 'Channels: tick at least one channel this purpose uses.');
  const save = async () => {
    // Said before sending, in the editor's language, next to the boxes (the server's check stays the rule).
    if (draft.channels.length === 0) {
      setErrors({ channels: noChannel });
      toggleNotification({ type: 'danger', message: noChannel });
      return;
    }
    setSaving(true);
    const input = toInput(draft);
    const { data, fieldErrors } = isNew
      ? await mutate<Purpose>('post', '/consent/purposes', input)
      : await mutate<Purpose>('put', `/consent/purposes/${key}`, input);
    setSaving(false);
    setErrors(fieldErrors);
    if (data) {
      toggleNotification({ type: 'success', message: t('purposes.saved', 'Purpose saved') });
      navigate(pluginPath(`purposes/${data.key}`), { replace: true });
    }
  };

  return (
    <Page.Main>
      <Page.Title>{isNew ? t('purposes.new', 'New purpose') : purpose!.name}</Page.Title>
      <Layouts.Header
        title={isNew ? t('purposes.new', 'New purpose') : purpose!.name}
        subtitle={
          used
            ? t(
                'purposes.usedHint',
                'Consents were recorded for this purpose: its key and legal basis can no longer change.'
              )
            : t('purposes.editHint', 'Describe one reason for processing or contacting people.')
        }
        primaryAction={
          !readOnly && (
            <Button onClick={save} loading={saving}>
              {t('common.save', 'Save')}
            </Button>
          )
        }
      />
      <Layouts.Content>
        <PluginNav />
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
            <Grid.Root gap={5}>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <TextField
                  name="key"
                  label={t('purposes.key', 'Key')}
                  required
                  value={draft.key}
                  onChange={set('key')}
                  error={errors.key}
                  disabled={readOnly || used}
                  hint={t(
                    'purposes.keyHint',
                    'A stable identifier used by forms and integrations, e.g. "newsletter". Lowercase letters, digits and hyphens.'
                  )}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <TextField
                  name="name"
                  label={t('purposes.name', 'Name')}
                  required
                  value={draft.name}
                  onChange={set('name')}
                  error={errors.name}
                  disabled={readOnly}
                />
              </Grid.Item>
              <Grid.Item col={12} direction="column" alignItems="stretch">
                <TextAreaField
                  name="description"
                  label={t('purposes.description', 'Description')}
                  value={draft.description}
                  onChange={set('description')}
                  error={errors.description}
                  disabled={readOnly}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <SelectField
                  name="legalBasis"
                  label={t('purposes.legalBasis', 'Legal basis')}
                  required
                  value={draft.legalBasis}
                  onChange={(v) => set('legalBasis')(v as LegalBasis)}
                  error={errors.legalBasis}
                  disabled={readOnly || used}
                  options={LEGAL_BASES.map((b) => ({ value: b, label: labels.legalBasis[b] }))}
                  hint={t('purposes.mechanismHint', 'Mechanism: {mechanism}', {
                    mechanism:
                      labels.mechanism[
                        mechanismOf(draft.legalBasis, draft.legalBasis === 'contract' && draft.directMarketing)
                      ],
                  })}
                />
              </Grid.Item>
              {draft.legalBasis === 'contract' && (
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <ToggleField
                    name="directMarketing"
                    label={t('purposes.directMarketing', 'Direct marketing')}
                    value={draft.directMarketing}
                    onChange={set('directMarketing')}
                    disabled={readOnly || used}
                    hint={t(
                      'purposes.directMarketingHint',
                      'The messages sell (e.g. upgrade calls to customers): people may object, and suppression lists apply. Off: service messages about the contract.'
                    )}
                  />
                </Grid.Item>
              )}
              {draft.legalBasis === 'legitimate-interest' && (
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <TextField
                    name="balancingTest"
                    label={t('purposes.balancingTest', 'Balancing test reference')}
                    value={draft.balancingTest}
                    onChange={set('balancingTest')}
                    error={errors.balancingTest}
                    disabled={readOnly}
                    hint={t(
                      'purposes.balancingTestHint',
                      'Where your legitimate-interest assessment is documented, e.g. "LIA-2026-04". Needed before a notice can be published.'
                    )}
                  />
                </Grid.Item>
              )}
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <SelectField
                  name="audience"
                  label={t('purposes.audience', 'Audience')}
                  value={draft.audience}
                  onChange={(v) => set('audience')(v as Draft['audience'])}
                  error={errors.audience}
                  disabled={readOnly}
                  options={AUDIENCES.map((a) => ({ value: a, label: labels.audience[a] }))}
                  hint={t(
                    'purposes.audienceHint',
                    'Professionals: the messages concern the recipient’s profession. Whether a person is a professional comes from the form or the import, never from here.'
                  )}
                />
              </Grid.Item>
              <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                <SelectField
                  name="sector"
                  label={t('purposes.sector', 'Regulated sector')}
                  value={draft.sector === '' ? 'none' : draft.sector}
                  onChange={(v) => set('sector')((v === 'none' ? '' : v) as Draft['sector'])}
                  error={errors.sector}
                  disabled={readOnly}
                  options={[
                    { value: 'none', label: t('purposes.sector.none', 'None') },
                    ...SECTORS.map((s) => ({ value: s, label: t(`purposes.sector.${s}`, s) })),
                  ]}
                />
              </Grid.Item>
              <Grid.Item col={12} direction="column" alignItems="stretch">
                <CheckboxGroup
                  name="channels"
                  label={t('purposes.channels', 'Channels')}
                  required
                  value={draft.channels}
                  onChange={(v) => {
                    set('channels')(v as Draft['channels']);
                    setErrors(({ channels: _answered, ...rest }) => rest);
                  }}
                  error={errors.channels ?? errors['channels.0']}
                  disabled={readOnly}
                  options={CHANNELS.map((c) => ({ value: c, label: labels.channel[c] }))}
                  hint={t(
                    'purposes.channelsHint',
                    'Consent is recorded per channel: a yes for email is not a yes for telephone.'
                  )}
                />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <ToggleField
                  name="doubleOptIn"
                  label={t('purposes.doubleOptIn', 'Double opt-in')}
                  value={draft.doubleOptIn}
                  onChange={set('doubleOptIn')}
                  disabled={readOnly}
                  hint={t('purposes.doubleOptInHint', 'Email consents stay pending until the person confirms by mail.')}
                />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <ToggleField
                  name="softOptIn"
                  label={t('purposes.softOptIn', 'Soft opt-in allowed')}
                  value={draft.softOptIn}
                  onChange={set('softOptIn')}
                  disabled={readOnly}
                  hint={t(
                    'purposes.softOptInHint',
                    'Existing customers may get offers for similar products unless they object.'
                  )}
                />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <ToggleField
                  name="honorGpc"
                  label={t('purposes.honorGpc', 'Honour Global Privacy Control')}
                  value={draft.honorGpc}
                  onChange={set('honorGpc')}
                  disabled={readOnly}
                  hint={t('purposes.honorGpcHint', 'A browser sending Sec-GPC: 1 objects to this purpose.')}
                />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <TextField
                  name="minimumAge"
                  type="number"
                  label={t('purposes.minimumAge', 'Minimum age')}
                  value={draft.minimumAge}
                  onChange={set('minimumAge')}
                  error={errors.minimumAge}
                  disabled={readOnly}
                  hint={t('purposes.minimumAgeHint', 'Leave empty when the purpose is not aimed at children.')}
                />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <TextField
                  name="lifetimeDays"
                  type="number"
                  label={t('purposes.lifetimeDays', 'Consent lifetime (days)')}
                  value={draft.lifetimeDays}
                  onChange={set('lifetimeDays')}
                  error={errors.lifetimeDays}
                  disabled={readOnly}
                  hint={t(
                    'purposes.lifetimeDaysHint',
                    'After this, a consent expires and must be asked again. Empty: no expiry.'
                  )}
                />
              </Grid.Item>
              <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
                <TextField
                  name="defaultLocale"
                  label={t('purposes.defaultLocale', 'Default language')}
                  value={draft.defaultLocale}
                  onChange={set('defaultLocale')}
                  error={errors.defaultLocale}
                  disabled={readOnly}
                  hint={t('purposes.defaultLocaleHint', 'Shown when no notice exists in the visitor’s language.')}
                />
              </Grid.Item>
              {(['de', 'fr'] as const).map((code) => (
                <Grid.Item key={code} col={6} s={12} direction="column" alignItems="stretch" gap={2}>
                  <TextField
                    name={`translations.${code}.name`}
                    label={t(`purposes.translation.${code}`, code === 'de' ? 'Name in German' : 'Name in French')}
                    value={draft[code].name}
                    onChange={(v) => set(code)({ ...draft[code], name: v })}
                    error={errors[`translations.${code}.name`] ?? errors[`translations.${code}`]}
                    disabled={readOnly}
                  />
                  <TextAreaField
                    name={`translations.${code}.description`}
                    label={t(
                      `purposes.translationDescription.${code}`,
                      code === 'de' ? 'Description in German' : 'Description in French'
                    )}
                    value={draft[code].description}
                    onChange={(v) => set(code)({ ...draft[code], description: v })}
                    disabled={readOnly}
                  />
                </Grid.Item>
              ))}
              {!isNew && (
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <ToggleField
                    name="active"
                    label={t('purposes.activeLabel', 'Active')}
                    value={draft.active}
                    onChange={set('active')}
                    disabled={readOnly}
                    hint={t('purposes.activeHint', 'Archive a purpose you no longer use: its records are kept.')}
                  />
                </Grid.Item>
              )}
            </Grid.Root>
          </Box>
          {!isNew && (
            <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
              <Typography variant="delta" tag="h2">
                {t('notices.title', 'Notices')}
              </Typography>
              <NoticeVersions purpose={key!} />
            </Box>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

export { PurposeEditPage };
