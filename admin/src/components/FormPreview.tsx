import { useEffect, useState } from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import type { FormInput, PreviewForm } from '../../../shared/contracts/forms';
import { labelsFor, parentHintFor } from '../../../client/src/labels';
import { purposeView } from '../../../client/src/view';
import { untouchedState } from '../../../client/src/consent-form';
import { useOfferText } from './OfferTable';
import { useT } from '../utils/useT';

export type Preview = PreviewForm.Response['data'];

const gap = { margin: '6px 0' };

/**
 * The form as the server defines it for the edited (unsaved) form, in one language, with the per-purpose,
 * per-language offers; debounced while the editor types.
 */
export const useFormPreview = (form: Partial<FormInput>, locale: string): Preview | null => {
  const { post } = useFetchClient();
  const [preview, setPreview] = useState<Preview | null>(null);
  const key = JSON.stringify({ form, locale });
  useEffect(() => {
    if (!form.purposes?.length) return setPreview(null);
    const timer = setTimeout(() => {
      post<PreviewForm.Response>('/consent/forms/preview', { form, locale })
        .then((res) => setPreview(res.data.data))
        .catch(() => setPreview(null));
    }, 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, post]);
  return preview;
};

/**
 * The form as a visitor gets it. The definition is the one the public route serves (current published
 * notices, locale fallback, boxes never ticked), and every word around the notices comes from the public
 * client's own code (`purposeView` and `labelsFor` in client/src), so the preview cannot say something
 * the published form does not: "I object:" before a legitimate-interest purpose, the policy link and the
 * send button in the visitor's language. Purposes left out are listed with the reason, for the editor.
 */
const FormPreview = ({ preview, names }: { preview: Preview | null; names: Record<string, string> }) => {
  const t = useT();
  const offerText = useOfferText();
  if (!preview) {
    return (
      <Typography textColor="neutral600">{t('forms.previewEmpty', 'Choose purposes to see the form.')}</Typography>
    );
  }
  const labels = labelsFor(preview.locale);
  // A visitor who has not chosen anything yet, as the public form starts.
  const state = untouchedState('ready', preview, false);
  const left = Object.entries(preview.offers).flatMap(([key, byLanguage]) => {
    const offer = byLanguage[preview.locale];
    return offer && !offer.offered ? [{ key, offer }] : [];
  });

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Box
        padding={5}
        background="neutral0"
        borderColor="neutral200"
        hasRadius
        data-testid="form-preview"
        lang={preview.locale}
      >
        {/* Plain HTML with its own sizes: the admin's stylesheet sets 1rem to 10px and strips margins. */}
        <form
          onSubmit={(e) => e.preventDefault()}
          style={{ fontFamily: 'system-ui, sans-serif', fontSize: 15, lineHeight: 1.45 }}
        >
          <h3 style={{ fontSize: 20, fontWeight: 600, margin: '0 0 12px' }}>{preview.name}</h3>
          <label style={{ display: 'block', marginBottom: 12 }}>
            {labels.email}{' '}
            <input
              type="email"
              disabled
              style={{ width: '100%', padding: 6, border: '1px solid #aaa', borderRadius: 4 }}
            />
          </label>
          {/*
           * A form offered to children (G1, G2): the age before the choices, then the parent's address with
           * its hint, in the client's words. The public client shows the address once a typed age is below
           * the threshold; the preview's fields take no input, so it shows both, as the hosted demo page does.
           */}
          {preview.ageQuestion && (
            <fieldset
              data-testid="preview-age"
              style={{ border: '1px solid #ccc', borderRadius: 6, margin: '0 0 12px', padding: '8px 12px' }}
            >
              <label style={{ display: 'block', marginBottom: 8 }}>
                {labels.age}{' '}
                <input
                  type="number"
                  name="age"
                  min={0}
                  max={120}
                  disabled
                  style={{ width: '6em', padding: 6, border: '1px solid #aaa', borderRadius: 4 }}
                />
              </label>
              <label style={{ display: 'block' }}>
                {labels.parentEmail}{' '}
                <input
                  type="email"
                  name="parentEmail"
                  disabled
                  style={{ width: '100%', padding: 6, border: '1px solid #aaa', borderRadius: 4 }}
                />
              </label>
              <p style={{ ...gap, fontSize: 13, color: '#555' }}>
                {parentHintFor(labels, preview.ageQuestion.threshold)}
              </p>
            </fieldset>
          )}
          {preview.purposes.map((purpose) => {
            const view = purposeView(state, purpose, labels, 'preview');
            const single = view.choosable && !view.boxes;
            const heading = (
              <>
                {view.prefix ? `${view.prefix} ` : ''}
                <strong>{view.title}</strong>
              </>
            );
            return (
              <fieldset
                key={view.key}
                data-purpose={view.key}
                style={{ border: '1px solid #ccc', borderRadius: 6, margin: '0 0 12px', padding: '8px 12px' }}
              >
                {single ? (
                  <label htmlFor={view.inputId}>
                    <input type="checkbox" id={view.inputId} name={view.name} defaultChecked={view.checked} /> {heading}
                  </label>
                ) : (
                  <p>{heading}</p>
                )}
                {view.boxes?.map((box) => (
                  <p key={box.channel} data-channel={box.channel}>
                    <input type="checkbox" id={box.inputId} name={box.name} defaultChecked={box.checked} />{' '}
                    <label htmlFor={box.inputId}>{box.label}</label>
                  </p>
                ))}
                <p style={gap}>{view.body}</p>
                {view.withdrawal && <p style={gap}>{view.withdrawal}</p>}
                <p style={{ ...gap, fontSize: 13, color: '#555' }}>
                  {[view.data, view.recipients].filter(Boolean).join(' · ')}
                </p>
                <p style={{ ...gap, fontSize: 13 }}>
                  <a href={view.policyUrl} target="_blank" rel="noreferrer">
                    {view.policyLabel}
                  </a>
                </p>
                <p style={{ ...gap, fontSize: 12, color: '#777' }} data-testid="preview-notice-version">
                  v{purpose.notice.version} ({purpose.notice.locale})
                  {purpose.localeFallback
                    ? ` · ${t('forms.previewFallback', 'no text in this language yet: the default language is shown')}`
                    : ''}
                </p>
              </fieldset>
            );
          })}
          {preview.privacyPolicyUrl && (
            <p style={{ ...gap, fontSize: 13 }}>
              <a href={preview.privacyPolicyUrl} target="_blank" rel="noreferrer">
                {labels.policy}
              </a>
            </p>
          )}
          <button
            type="submit"
            disabled
            style={{
              marginTop: 8,
              padding: '8px 18px',
              fontSize: 15,
              border: '1px solid #4945ff',
              borderRadius: 4,
              background: '#4945ff',
              color: '#fff',
            }}
          >
            {labels.submit}
          </button>
        </form>
      </Box>
      {left.length > 0 && (
        <Box padding={4} background="danger100" hasRadius data-testid="preview-not-offered">
          <Typography variant="sigma" tag="p">
            {t('forms.previewNotOffered', 'Not shown to visitors reading {language}:', { language: preview.locale })}
          </Typography>
          <ul>
            {left.map(({ key, offer }) => (
              <li key={key} data-purpose={key}>
                <Typography>
                  {names[key] ?? key}: {offerText(offer, preview.locale, preview.defaultLocales[key])}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
    </Flex>
  );
};

export { FormPreview };
