/**
 * Small server-rendered pages for people who reach the plugin without JavaScript: a form posted as plain
 * HTML, and later the confirmation, unsubscribe and preference links in mails. No script, no cookie, and
 * no external resource unless the site owner configures one (`pages.logoUrl`, `pages.stylesheetUrl`, a
 * template that loads one): K1.
 */
import type { PagesConfig } from '../config/defaults';
import { PLUGIN_ID } from '../constants';
import { escapeHtml } from '../utils/escape-html';
import { stylesheet } from './stylesheet';

export { escapeHtml };

/** A list of names (purposes, titles), escaped. */
export const htmlList = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;

/** A form with one button that POSTs to `action`: the only way a page changes anything (links are opened by scanners). */
export const postButton = (action: string, label: string) =>
  `<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(label)}</button></form>`;

/**
 * The site's name and logo above every page. The logo's text alternative is the name beside it, so the
 * image itself is decorative (`alt=""`) and a screen reader says the name once.
 */
const siteHeader = ({ siteName, logoUrl }: PagesConfig) =>
  siteName || logoUrl
    ? `<header class="site"><p>${logoUrl ? `<img src="${escapeHtml(logoUrl)}" alt="">` : ''}${siteName ? `<span>${escapeHtml(siteName)}</span>` : ''}</p></header>\n`
    : '';

/** `{{name}}` → value, once per occurrence; values are never read as replacement patterns. */
const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(lang|title|head|content)\}\}/g, (_, name: string) => values[name]);

/** A page with the plugin's look and the site owner's branding: pure, for tests and previews. */
export const renderPage = (look: PagesConfig, language: string, title: string, body: string) => {
  const fullTitle = look.siteName ? `${title} · ${look.siteName}` : title;
  const head = `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(fullTitle)}</title>
<style>${stylesheet(look.accentColor)}</style>${look.stylesheetUrl ? `\n<link rel="stylesheet" href="${escapeHtml(look.stylesheetUrl)}">` : ''}`;
  const content = `<h1>${escapeHtml(title)}</h1>\n${body}`;
  if (look.template)
    return fill(look.template, { lang: escapeHtml(language), title: escapeHtml(fullTitle), head, content });
  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>${head}</head>
<body>
${siteHeader(look)}<main>
${content}
</main>
</body></html>`;
};

/** The configured look (config `pages`), read at each page so that it is whatever this Strapi booted with. */
const configuredLook = (): PagesConfig => {
  const running = (globalThis as { strapi?: { config: { get(key: string): unknown } } }).strapi;
  return (running?.config.get(`plugin::${PLUGIN_ID}`) as { pages?: PagesConfig } | undefined)?.pages ?? {};
};

export const page = (language: string, title: string, body: string) =>
  renderPage(configuredLook(), language, title, body);
