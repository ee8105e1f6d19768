/**
 * Small server-rendered pages for people who reach the plugin without JavaScript: a form posted as plain
 * HTML, and later the confirmation, unsubscribe and preference links in mails. No script, no cookie, no
 * external resource (K1).
 */
import { escapeHtml } from '../utils/escape-html';

export { escapeHtml };

/** A list of names (purposes, titles), escaped. */
export const htmlList = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;

/** A form with one button that POSTs to `action`: the only way a page changes anything (links are opened by scanners). */
export const postButton = (action: string, label: string) =>
  `<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(label)}</button></form>`;

export const page = (language: string, title: string, body: string) => `<!doctype html>
<html lang="${escapeHtml(language)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
  .small { font-size: .85rem; color: #555; }
  fieldset.purpose { border: 1px solid #bbb; border-radius: 6px; margin: 1rem 0; padding: .5rem 1rem; }
  fieldset.purpose legend { font-weight: 600; padding: 0 .25rem; }
  .choice { display: flex; gap: .5rem; align-items: center; }
  .choice input { width: 1.25rem; height: 1.25rem; margin: 0; }
  .actions { display: flex; flex-wrap: wrap; gap: .75rem; }
  button { font: inherit; padding: .4rem 1rem; }
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;

/** The part of an Accept-Language-like locale this plugin has texts for (en, de, fr). */
export const pageLanguage = (locale: unknown): 'en' | 'de' | 'fr' => {
  const base = typeof locale === 'string' ? locale.slice(0, 2) : '';
  return base === 'de' || base === 'fr' ? base : 'en';
};
