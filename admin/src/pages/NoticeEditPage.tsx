import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  Flex,
  Grid,
  SingleSelect,
  SingleSelectOption,
  Typography,
  Field,
} from '@strapi/design-system';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { GetNoticeChecklist, Notice, NoticeInput } from '../../../shared/contracts/notices';
import { missingInformation } from '../../../server/src/domain/a7-checklist';
import type { Purpose } from '../../../shared/contracts/purposes';
import { useMutation, useResource, type FieldErrors } from '../api';
import { Checklist } from '../components/Checklist';
import { linesToList, listToLines, TextAreaField, TextField, ToggleField } from '../components/Fields';
import { NoticeDiff } from '../components/NoticeDiff';
import { PluginNav } from '../components/PluginNav';
import { PERMISSIONS } from '../permissions';
import { useLabels } from '../utils/labels';
import { pluginPath } from '../utils/pluginPath';
import { useT } from '../utils/useT';
import { useCan } from '../utils/useCan';

interface Draft {
  title: string;
  body: string;
  dataCategories: string;
  recipients: string;
  privacyPolicyUrl: string;
  withdrawalText: string;
  material: boolean;
}

const fromNotice = (n: Notice): Draft => ({
  title: n.title,
  body: n.body,
  dataCategories: listToLines(n.dataCategories),
  recipients: listToLines(n.recipients),
  privacyPolicyUrl: n.privacyPolicyUrl ?? '',
  withdrawalText: n.withdrawalText,
  material: false,
});

const toInput = (d: Draft): Omit<NoticeInput, 'purpose' | 'locale'> => ({
  title: d.title,
  body: d.body,
  dataCategories: linesToList(d.dataCategories),
  recipients: linesToList(d.recipients),
  // An empty link is "not yet" in a draft: the checklist says so, and publishing waits for it (A7).
  privacyPolicyUrl: d.privacyPolicyUrl.trim() || null,
  withdrawalText: d.withdrawalText,
  material: d.material,
});

const blank: Draft = {
  title: '',
  body: '',
  dataCategories: '',
  recipients: '',
  privacyPolicyUrl: '',
  withdrawalText: '',
  material: false,
};

/** A link a visitor's browser can open: absolute, http or https (the API refuses anything else). */
const isWebLink = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/**
 * One notice version. A draft is edited here, checked against A7 and published after confirmation; a
 * published or retired version is read-only, with its history and a word diff against another version.
 */
const NoticeEditPage = () => {
  const t = useT();
  const labels = useLabels();
  const navigate = useNavigate();
  const { id } = useParams<{ id: string }>();
  const [search] = useSearchParams();
  const isNew = id === 'new';
  const { toggleNotification } = useNotification();
  const canManage = useCan(PERMISSIONS.noticesManage).can;
  const canPublish = useCan(PERMISSIONS.noticesPublish).can;
  const { data: notice, error, reload } = useResource<Notice>(isNew ? null : `/consent/notices/${id}`);
  const purpose = notice?.purpose ?? search.get('purpose') ?? '';
  const { data: purposeRow } = useResource<Purpose>(
    purpose ? `/consent/purposes/${encodeURIComponent(purpose)}` : null
  );
  const locale = notice?.locale ?? search.get('locale') ?? 'en';
  const { data: versions } = useResource<Notice[]>(
    purpose ? `/consent/notices?purpose=${encodeURIComponent(purpose)}&locale=${encodeURIComponent(locale)}` : null
  );
  const { data: checklistContext } = useResource<GetNoticeChecklist.Response['data']>('/consent/notices/checklist');
  // The editor's words for each field, so that a refusal names what the editor sees, in their language.
  const fieldLabels: Record<string, string> = {
    title: t('notices.titleField', 'Title'),
    body: t('notices.body', 'Text'),
    dataCategories: t('notices.dataCategories', 'Data processed (one per line)'),
    recipients: t('notices.recipients', 'Recipients or partners (one per line)'),
    privacyPolicyUrl: t('notices.privacyPolicyUrl', 'Privacy policy link'),
    withdrawalText: t('notices.withdrawalText', 'Sentence on withdrawing or objecting (optional)'),
  };
  const fieldNames = (fieldErrors: FieldErrors) =>
    [...new Set(Object.keys(fieldErrors).map((path) => fieldLabels[path.split('.')[0]] ?? path))].join(', ');
  const mutate = useMutation((fieldErrors) =>
    t('notices.checkFields', 'Not saved. Please check: {fields}', { fields: fieldNames(fieldErrors) })
  );
  const [draft, setDraft] = useState<Draft>(blank);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [compareTo, setCompareTo] = useState<string>('');

  useEffect(() => {
    if (notice) setDraft({ ...fromNotice(notice), material: notice.material });
  }, [notice]);

  const previous = useMemo(() => versions?.find((v) => notice && v.version === notice.version - 1), [versions, notice]);
  useEffect(() => {
    if (previous && !compareTo) setCompareTo(String(previous.id));
  }, [previous, compareTo]);

  if (error) return <Page.Error />;
  if (!isNew && !notice) return <Page.Loading />;

  const editable = (isNew || notice!.status === 'draft') && canManage;
  const set =
    <K extends keyof Draft>(field: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [field]: value }));
  const back = () => navigate(pluginPath(`purposes/${purpose}`));

  const save = async () => {
    // Caught here, in the editor's language, before the API would refuse it.
    const link = draft.privacyPolicyUrl.trim();
    if (link && !isWebLink(link)) {
      const own = { privacyPolicyUrl: t('notices.linkInvalid', 'Enter a full web address, starting with https://') };
      setErrors(own);
      toggleNotification({
        type: 'danger',
        message: t('notices.checkFields', 'Not saved. Please check: {fields}', { fields: fieldNames(own) }),
      });
      return;
    }
    const { data, fieldErrors } = isNew
      ? await mutate<Notice>('post', '/consent/notices', { purpose, locale, ...toInput(draft) })
      : await mutate<Notice>('put', `/consent/notices/${id}`, toInput(draft));
    setErrors(fieldErrors);
    if (!data) return;
    toggleNotification({ type: 'success', message: t('notices.saved', 'Draft saved') });
    if (isNew) navigate(pluginPath(`notices/${data.id}`), { replace: true });
    else reload();
  };

  const publish = async () => {
    const { data } = await mutate<Notice>('post', `/consent/notices/${id}/publish`);
    if (data) {
      toggleNotification({
        type: 'success',
        message: t('notices.published', 'Version {version} is published', { version: data.version }),
      });
      reload();
    }
  };

  const newVersion = async () => {
    const { data } = await mutate<Notice>('post', '/consent/notices', {
      purpose,
      locale,
      ...toInput({ ...fromNotice(notice!), material: false }),
    });
    if (data) navigate(pluginPath(`notices/${data.id}`));
  };

  const remove = async () => {
    const { data } = await mutate('del', `/consent/notices/${id}`);
    if (data) back();
  };

  const other = versions?.find((v) => String(v.id) === compareTo);
  // Editors know a purpose by its name; the key is for forms and integrations.
  const purposeName = purposeRow?.name ?? purpose;
  const title = isNew
    ? t('notices.newTitle', 'New notice for "{purpose}" ({locale})', { purpose: purposeName, locale })
    : t('notices.pageTitle', '"{purpose}" notice, {locale}, version {version}', {
        purpose: purposeName,
        locale,
        version: notice!.version,
      });
  // The same A7 rule the server applies when publishing, run on the text as typed (domain/a7-checklist.ts).
  const liveMissing =
    editable && purposeRow && checklistContext
      ? missingInformation(
          // A link the API would refuse is not a link yet.
          {
            language: locale,
            ...toInput(draft),
            privacyPolicyUrl: isWebLink(draft.privacyPolicyUrl.trim()) ? draft.privacyPolicyUrl : null,
          },
          purposeRow.legalBasis,
          checklistContext.controller,
          purposeRow
        )
      : null;
  const missing = liveMissing ?? (isNew ? null : notice!.status === 'draft' ? notice!.missing : []);
  const unsaved =
    !isNew &&
    !!notice &&
    JSON.stringify(toInput(draft)) !== JSON.stringify(toInput({ ...fromNotice(notice), material: notice.material }));
  // Publishing retires the version in force, if there is one: the first publication retires nothing.
  const inForce = versions?.find((v) => v.status === 'published' && v.id !== notice?.id);

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={
          isNew
            ? t('notices.newSubtitle', 'A draft can be changed freely until it is published.')
            : labels.status[notice!.status]
        }
        navigationAction={
          <Flex>
            <Button variant="ghost" size="S" onClick={back}>
              {t('common.back', 'Back to the purpose')}
            </Button>
          </Flex>
        }
        primaryAction={
          <Flex gap={2}>
            {editable && (
              <Button variant="secondary" onClick={save}>
                {t('notices.saveDraft', 'Save draft')}
              </Button>
            )}
            {!isNew && notice!.status === 'draft' && canPublish && (
              <Dialog.Root>
                <Dialog.Trigger>
                  <Button disabled={notice!.missing.length > 0 || unsaved || (missing?.length ?? 0) > 0}>
                    {t('notices.publish', 'Publish')}
                  </Button>
                </Dialog.Trigger>
                <Dialog.Content>
                  <Dialog.Header>
                    {t('notices.confirmTitle', 'Publish version {version}?', { version: notice!.version })}
                  </Dialog.Header>
                  <Dialog.Body>
                    <Typography tag="p">
                      {t(
                        'notices.confirmBody',
                        'From now on, forms show this text, and it can never be changed: a later edit becomes a new version.'
                      )}
                      {inForce &&
                        ` ${t('notices.confirmRetires', 'Version {version}, in force now, will be retired.', {
                          version: inForce.version,
                        })}`}
                    </Typography>
                    {notice!.material && (
                      <Typography textColor="danger600" tag="p">
                        {t(
                          'notices.confirmMaterial',
                          'This is a material change: people who agreed to an earlier version will need to agree again.'
                        )}
                      </Typography>
                    )}
                  </Dialog.Body>
                  <Dialog.Footer>
                    <Dialog.Cancel>
                      <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
                    </Dialog.Cancel>
                    <Dialog.Action>
                      <Button onClick={publish}>{t('notices.confirmPublish', 'Publish')}</Button>
                    </Dialog.Action>
                  </Dialog.Footer>
                </Dialog.Content>
              </Dialog.Root>
            )}
            {!isNew && notice!.status !== 'draft' && canManage && (
              <Button onClick={newVersion}>{t('notices.newVersion', 'Edit as a new version')}</Button>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <PluginNav />
        <Grid.Root gap={6}>
          <Grid.Item col={8} s={12} direction="column" alignItems="stretch">
            <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
              <Flex direction="column" alignItems="stretch" gap={4}>
                <TextField
                  name="title"
                  label={t('notices.titleField', 'Title')}
                  required
                  value={draft.title}
                  onChange={set('title')}
                  error={errors.title}
                  disabled={!editable}
                />
                <TextAreaField
                  name="body"
                  label={t('notices.body', 'Text')}
                  required
                  value={draft.body}
                  onChange={set('body')}
                  error={errors.body}
                  disabled={!editable}
                  hint={t(
                    'notices.bodyHint',
                    'What the data is used for, in plain words. This exact text is recorded with every consent.'
                  )}
                />
                <TextAreaField
                  name="dataCategories"
                  required
                  label={t('notices.dataCategories', 'Data processed (one per line)')}
                  value={draft.dataCategories}
                  onChange={set('dataCategories')}
                  error={errors.dataCategories ?? errors['dataCategories.0']}
                  disabled={!editable}
                />
                <TextAreaField
                  name="recipients"
                  label={t('notices.recipients', 'Recipients or partners (one per line)')}
                  value={draft.recipients}
                  onChange={set('recipients')}
                  error={errors.recipients}
                  disabled={!editable}
                  hint={t('notices.recipientsHint', 'Leave empty if nobody else receives the data.')}
                />
                <TextField
                  name="privacyPolicyUrl"
                  required
                  label={t('notices.privacyPolicyUrl', 'Privacy policy link')}
                  value={draft.privacyPolicyUrl}
                  onChange={set('privacyPolicyUrl')}
                  error={errors.privacyPolicyUrl}
                  disabled={!editable}
                />
                <TextAreaField
                  name="withdrawalText"
                  label={t('notices.withdrawalText', 'Sentence on withdrawing or objecting (optional)')}
                  value={draft.withdrawalText}
                  onChange={set('withdrawalText')}
                  error={errors.withdrawalText}
                  disabled={!editable}
                  placeholder={notice?.withdrawal ?? ''}
                  hint={t(
                    'notices.withdrawalHint',
                    'Leave empty to use the standard sentence (English, German, French).'
                  )}
                />
                <ToggleField
                  name="material"
                  label={t('notices.material', 'Material change')}
                  value={draft.material}
                  onChange={set('material')}
                  disabled={!editable}
                  onLabel={t('common.yes', 'Yes')}
                  offLabel={t('common.no', 'No')}
                  hint={t(
                    'notices.materialHint',
                    'Yes if the purpose or what happens to the data changed: earlier consents will have to be given again.'
                  )}
                />
                {editable && !isNew && (
                  <Box>
                    <Button variant="danger-light" onClick={remove}>
                      {t('notices.deleteDraft', 'Delete draft')}
                    </Button>
                  </Box>
                )}
              </Flex>
            </Box>
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch" gap={4}>
            <Checklist missing={missing} legalBasis={purposeRow?.legalBasis} />
            {notice?.hash && (
              <Box padding={4} background="neutral100" hasRadius>
                <Typography variant="sigma" tag="p">
                  {t('notices.hash', 'Content hash (SHA-256)')}
                </Typography>
                <Typography variant="pi" style={{ wordBreak: 'break-all' }} data-testid="notice-hash">
                  {notice.hash}
                </Typography>
              </Box>
            )}
            {versions && versions.length > 0 && (
              <Box padding={4} background="neutral100" hasRadius>
                <Typography variant="sigma" tag="h3">
                  {t('notices.history', 'Version history')}
                </Typography>
                <Flex direction="column" alignItems="stretch" gap={1} paddingTop={2} tag="ul">
                  {versions.map((v) => (
                    <li key={v.id}>
                      <Button variant="ghost" size="S" onClick={() => navigate(pluginPath(`notices/${v.id}`))}>
                        v{v.version} · {labels.status[v.status]}
                        {v.effectiveAt ? ` · ${new Date(v.effectiveAt).toLocaleDateString()}` : ''}
                      </Button>
                    </li>
                  ))}
                </Flex>
              </Box>
            )}
          </Grid.Item>
          {notice && versions && versions.length > 1 && (
            <Grid.Item col={12} direction="column" alignItems="stretch" gap={2}>
              <Field.Root name="compareTo" id="compareTo">
                <Field.Label>{t('notices.compareTo', 'Compare with version')}</Field.Label>
                <SingleSelect value={compareTo} onChange={(v: string | number) => setCompareTo(String(v))}>
                  {versions
                    .filter((v) => v.id !== notice.id)
                    .map((v) => (
                      <SingleSelectOption key={v.id} value={String(v.id)}>
                        v{v.version}
                      </SingleSelectOption>
                    ))}
                </SingleSelect>
              </Field.Root>
              {other &&
                (other.version < notice.version ? (
                  <NoticeDiff before={other} after={notice} />
                ) : (
                  <NoticeDiff before={notice} after={other} />
                ))}
            </Grid.Item>
          )}
        </Grid.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

/** A fresh page per version: moving from one version to another must not carry the previous state. */
const NoticeRoute = () => {
  const { id } = useParams<{ id: string }>();
  return <NoticeEditPage key={id} />;
};

export { NoticeRoute as NoticeEditPage };
