/**
 * Small server-rendered pages for people who reach the plugin without JavaScript: a form posted as plain
 * HTML, and later the confirmation, unsubscribe and preference links in mails. No script, no cookie, no
 * external resource (K1).
 */
import { escapeHtml } from '../utils/escape-html';

export { escapeHtml };

export const page = (language: string, title: string, body: string) => `<!doctype html>
<html lang="${escapeHtml(language)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
  .small { font-size: .85rem; color: #555; }
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
