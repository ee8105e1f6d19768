import { useEffect, useState } from 'react';
import { Box, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import type { FormInput, GetPublicForm } from '../../../shared/contracts/forms';
import { useT } from '../utils/useT';

type Definition = GetPublicForm.Response['data'];

/**
 * The form as a visitor gets it: the server renders the same public definition it serves at
 * GET /api/consent/forms/:key (current published notices, locale fallback, boxes never ticked), here for
 * the unsaved edits, and this draws it as plain HTML.
 */
const FormPreview = ({ form, locale }: { form: Partial<FormInput>; locale: string }) => {
  const t = useT();
  const { post } = useFetchClient();
  const [definition, setDefinition] = useState<Definition | null>(null);
  const key = JSON.stringify({ form, locale });

  useEffect(() => {
    if (!form.purposes?.length) return setDefinition(null);
    const timer = setTimeout(() => {
      post<{ data: Definition }>('/consent/forms/preview', { form, locale })
        .then((res) => setDefinition(res.data.data))
        .catch(() => setDefinition(null));
    }, 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, post]);

  if (!definition) {
    return (
      <Typography textColor="neutral600">{t('forms.previewEmpty', 'Choose purposes to see the form.')}</Typography>
    );
  }

  return (
    <Box
      padding={5}
      background="neutral0"
      borderColor="neutral200"
      hasRadius
      data-testid="form-preview"
      lang={definition.locale}
    >
      <form onSubmit={(e) => e.preventDefault()} style={{ fontFamily: 'system-ui, sans-serif', lineHeight: 1.45 }}>
        <h3 style={{ fontSize: '1.25rem', marginBottom: '.75rem' }}>{definition.name}</h3>
        <label style={{ display: 'block', marginBottom: '.75rem' }}>
          {t('forms.previewEmail', 'Email')} <input type="email" disabled style={{ width: '100%' }} />
        </label>
        {definition.purposes.map((p) => (
          <fieldset
            key={p.key}
            style={{ border: '1px solid #ccc', borderRadius: 6, margin: '0 0 .75rem', padding: '.5rem .75rem' }}
          >
            <label>
              <input type="checkbox" name={`choices[${p.key}]`} defaultChecked={p.defaultChecked} />{' '}
              <strong>{p.notice.title}</strong>
            </label>
            <p>{p.notice.body}</p>
            {p.notice.withdrawal && <p>{p.notice.withdrawal}</p>}
            <p style={{ fontSize: '.85rem', color: '#555' }}>
              {p.notice.dataCategories.join(', ')}
              {p.notice.recipients.length ? ` · ${p.notice.recipients.join(', ')}` : ''} · v{p.notice.version} (
              {p.notice.locale})
              {p.localeFallback
                ? ` · ${t('forms.previewFallback', 'no text in this language yet: the default language is shown')}`
                : ''}
            </p>
          </fieldset>
        ))}
        {form.purposes!.length > definition.purposes.length && (
          <Typography textColor="danger600" tag="p">
            {t('forms.previewHidden', 'Purposes without a published notice (or archived) are not shown to visitors.')}
          </Typography>
        )}
        {definition.privacyPolicyUrl && (
          <p style={{ fontSize: '.85rem' }}>
            <a href={definition.privacyPolicyUrl} target="_blank" rel="noreferrer">
              {t('forms.previewPolicy', 'Privacy policy')}
            </a>
          </p>
        )}
        <button type="submit" disabled>
          {t('forms.previewSubmit', 'Send')}
        </button>
      </form>
    </Box>
  );
};

export { FormPreview };
