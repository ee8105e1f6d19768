import { useEffect, useState } from 'react';
import { Box, Button, Flex, Grid, Typography } from '@strapi/design-system';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import { JURISDICTIONS, type Jurisdiction } from '../../../shared/contracts/domain';
import type { Form, FormInput } from '../../../shared/contracts/forms';
import type { Purpose } from '../../../shared/contracts/purposes';
import { useMutation, useResource, type FieldErrors } from '../api';
import {
  CheckboxGroup,
  linesToList,
  listToLines,
  SelectField,
  TextAreaField,
  TextField,
  ToggleField,
} from '../components/Fields';
import { FormPreview, useFormPreview } from '../components/FormPreview';
import { OfferTable } from '../components/OfferTable';
import { PluginNav } from '../components/PluginNav';
import { PERMISSIONS } from '../permissions';
import { pluginPath } from '../utils/pluginPath';
import { useT } from '../utils/useT';
import { useCan } from '../utils/useCan';

interface Draft {
  key: string;
  name: string;
  purposes: string[];
  doubleOptIn: boolean;
  /** `none`: not stated by the form. */
  audience: 'none' | 'consumer' | 'professional';
  jurisdiction: 'none' | Jurisdiction;
  offeredToChildren: boolean;
  /** Empty: the country of the form's (else the site's) jurisdiction. */
  childrenCountry: string;
  allowedOrigins: string;
  successUrl: string;
  privacyPolicyUrl: string;
  active: boolean;
}

const empty: Draft = {
  key: '',
  name: '',
  purposes: [],
  doubleOptIn: false,
  audience: 'none',
  jurisdiction: 'none',
  offeredToChildren: false,
  childrenCountry: '',
  allowedOrigins: '',
  successUrl: '',
  privacyPolicyUrl: '',
  active: true,
};

const toInput = (d: Draft): FormInput => ({
  ...d,
  audience: d.audience === 'none' ? null : d.audience,
  jurisdiction: d.jurisdiction === 'none' ? null : d.jurisdiction,
  childrenCountry: d.offeredToChildren ? d.childrenCountry.trim().toUpperCase() || null : null,
  allowedOrigins: linesToList(d.allowedOrigins),
  successUrl: d.successUrl.trim() || null,
  privacyPolicyUrl: d.privacyPolicyUrl.trim() || null,
});

/** Create or edit a form, with a live preview of what a visitor will see. */
const FormEditPage = () => {
  const t = useT();
  const navigate = useNavigate();
  const { key } = useParams<{ key: string }>();
  const isNew = !key;
  const { toggleNotification } = useNotification();
  const readOnly = !useCan(PERMISSIONS.formsManage).can;
  const { data: form, error } = useResource<Form>(isNew ? null : `/consent/forms/${key}`);
  const { data: purposes } = useResource<Purpose[]>('/consent/purposes');
  const mutate = useMutation();
  const [draft, setDraft] = useState<Draft>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [previewLocale, setPreviewLocale] = useState('en');
  const preview = useFormPreview(toInput(draft), /^[a-z]{2,3}(-[A-Z]{2})?$/.test(previewLocale) ? previewLocale : 'en');

  useEffect(() => {
    if (form) {
      setDraft({
        key: form.key,
        name: form.name,
        purposes: form.purposes,
        doubleOptIn: form.doubleOptIn,
        audience: form.audience ?? 'none',
        jurisdiction: form.jurisdiction ?? 'none',
        offeredToChildren: !!form.offeredToChildren,
        childrenCountry: form.childrenCountry ?? '',
        allowedOrigins: listToLines(form.allowedOrigins),
        successUrl: form.successUrl ?? '',
        privacyPolicyUrl: form.privacyPolicyUrl ?? '',
        active: form.active,
      });
    }
  }, [form]);

  if (error) return <Page.Error />;
  if ((!isNew && !form) || !purposes) return <Page.Loading />;

  const set =
    <K extends keyof Draft>(field: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [field]: value }));
  // Keep the editor's order of choice, which is the order of the boxes on the form.
  const offered = purposes.filter((p) => p.active || draft.purposes.includes(p.key));
  const names = Object.fromEntries(purposes.map((p) => [p.key, p.name]));

  const save = async () => {
    const input = toInput(draft);
    const { data, fieldErrors } = isNew
      ? await mutate<Form>('post', '/consent/forms', input)
      : await mutate<Form>('put', `/consent/forms/${key}`, input);
    setErrors(fieldErrors);
    if (data) {
      toggleNotification({ type: 'success', message: t('forms.saved', 'Form saved') });
      navigate(pluginPath(`forms/${data.key}`), { replace: true });
    }
  };

  const title = isNew ? t('forms.new', 'New form') : form!.name;
  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t('forms.editHint', 'Every purpose is its own box, never ticked in advance.')}
        primaryAction={!readOnly && <Button onClick={save}>{t('common.save', 'Save')}</Button>}
      />
      <Layouts.Content>
        <PluginNav />
        <Grid.Root gap={6}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
              <Flex direction="column" alignItems="stretch" gap={4}>
                <TextField
                  name="key"
                  label={t('forms.key', 'Key')}
                  required
                  value={draft.key}
                  onChange={set('key')}
                  error={errors.key}
                  disabled={readOnly}
                  hint={t('forms.keyHint', 'Front ends ask for the form by this key, e.g. "newsletter-signup".')}
                />
                <TextField
                  name="name"
                  label={t('forms.name', 'Name')}
                  required
                  value={draft.name}
                  onChange={set('name')}
                  error={errors.name}
                  disabled={readOnly}
                />
                <CheckboxGroup
                  name="purposes"
                  label={t('forms.purposes', 'Purposes offered')}
                  required
                  value={draft.purposes}
                  onChange={set('purposes')}
                  error={errors.purposes ?? Object.entries(errors).find(([k]) => k.startsWith('purposes.'))?.[1]}
                  disabled={readOnly}
                  options={offered.map((p) => ({ value: p.key, label: `${p.name} (${p.key})` }))}
                  hint={t('forms.purposesHint', 'Each purpose brings its own published notice.')}
                />
                <ToggleField
                  name="doubleOptIn"
                  label={t('forms.doubleOptIn', 'Double opt-in for email')}
                  value={draft.doubleOptIn}
                  onChange={set('doubleOptIn')}
                  disabled={readOnly}
                />
                <SelectField
                  name="audience"
                  label={t('forms.audience', 'People this form collects')}
                  value={draft.audience}
                  onChange={(v) => set('audience')(v as Draft['audience'])}
                  error={errors.audience}
                  disabled={readOnly}
                  options={(['none', 'consumer', 'professional'] as const).map((a) => ({
                    value: a,
                    label: t(`forms.audience.${a}`, a),
                  }))}
                />
                <SelectField
                  name="jurisdiction"
                  label={t('forms.jurisdiction', 'Law this form serves')}
                  value={draft.jurisdiction}
                  onChange={(v) => set('jurisdiction')(v as Draft['jurisdiction'])}
                  error={errors.jurisdiction}
                  disabled={readOnly}
                  options={(['none', ...JURISDICTIONS] as const).map((j) => ({
                    value: j,
                    label: t(`forms.jurisdiction.${j}`, j),
                  }))}
                />
                <ToggleField
                  name="offeredToChildren"
                  label={t('forms.offeredToChildren', 'Offered directly to children')}
                  value={draft.offeredToChildren}
                  onChange={set('offeredToChildren')}
                  disabled={readOnly}
                  hint={t(
                    'forms.offeredToChildrenHint',
                    'The form asks for age first. Below the age of digital consent, a parent confirms by email.'
                  )}
                />
                {draft.offeredToChildren && (
                  <TextField
                    name="childrenCountry"
                    label={t('forms.childrenCountry', 'Country whose age of consent applies')}
                    value={draft.childrenCountry}
                    onChange={set('childrenCountry')}
                    error={errors.childrenCountry}
                    disabled={readOnly}
                    hint={t(
                      'forms.childrenCountryHint',
                      'Two-letter code. Empty: the country of the law this form serves, else 16.'
                    )}
                  />
                )}
                <TextAreaField
                  name="allowedOrigins"
                  label={t('forms.allowedOrigins', 'Sites allowed to post this form (one per line)')}
                  value={draft.allowedOrigins}
                  onChange={set('allowedOrigins')}
                  error={
                    errors.allowedOrigins ?? Object.entries(errors).find(([k]) => k.startsWith('allowedOrigins.'))?.[1]
                  }
                  disabled={readOnly}
                  placeholder="https://www.example.com"
                />
                <TextField
                  name="successUrl"
                  label={t('forms.successUrl', 'Page after sending (HTML forms)')}
                  value={draft.successUrl}
                  onChange={set('successUrl')}
                  error={errors.successUrl}
                  disabled={readOnly}
                />
                <TextField
                  name="privacyPolicyUrl"
                  label={t('forms.privacyPolicyUrl', 'Privacy policy link')}
                  value={draft.privacyPolicyUrl}
                  onChange={set('privacyPolicyUrl')}
                  error={errors.privacyPolicyUrl}
                  disabled={readOnly}
                />
                {!isNew && (
                  <ToggleField
                    name="active"
                    label={t('forms.activeLabel', 'Active')}
                    value={draft.active}
                    onChange={set('active')}
                    disabled={readOnly}
                    hint={t('forms.activeHint', 'An inactive form is not served to front ends.')}
                  />
                )}
              </Flex>
            </Box>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch" gap={3}>
            <Flex gap={2} alignItems="flex-end">
              <Typography variant="delta" tag="h2">
                {t('forms.preview', 'Preview')}
              </Typography>
              <Box minWidth="8rem" data-testid="preview-locale">
                <TextField
                  name="previewLocale"
                  label={t('forms.previewLocale', 'Language')}
                  value={previewLocale}
                  onChange={setPreviewLocale}
                />
              </Box>
            </Flex>
            <FormPreview preview={preview} names={names} />
            {preview && draft.purposes.length > 0 && (
              <Box background="neutral0" hasRadius shadow="filterShadow" padding={4}>
                <OfferTable offers={preview.offers} defaultLocales={preview.defaultLocales} names={names} />
              </Box>
            )}
          </Grid.Item>
        </Grid.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

export { FormEditPage };
