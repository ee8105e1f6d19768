/**
 * The one stylesheet of the hosted pages, inline so that a page loads nothing else (K1). Written for WCAG
 * 2.2 AA: body text #1f2328 and small text #4b5563 on white (over 7:1), the accent only where white text
 * sits on it or it sits on white (configuration refuses an accent under 4.5:1, config/validate), a visible
 * focus ring, 44 px targets, and nothing wider than a 320 px screen (long receipt ids and addresses wrap).
 * Every button looks the same: refusing or leaving must weigh as much as accepting (A8, D2).
 */
export const DEFAULT_ACCENT = '#1d4ed8';

export const stylesheet = (accent: string = DEFAULT_ACCENT) => `
:root { --accent: ${accent}; color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #1f2328; font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; overflow-wrap: anywhere; }
.site { background: #fff; border-top: 4px solid var(--accent); border-bottom: 1px solid #d1d5db; }
.site p { max-width: 38rem; margin: 0 auto; padding: .75rem 1rem; display: flex; align-items: center; gap: .75rem; font-weight: 600; }
.site img { max-height: 2.5rem; max-width: 12rem; height: auto; }
main { max-width: 38rem; margin: 2rem auto; padding: 1.5rem 1.5rem 1rem; background: #fff; border: 1px solid #d1d5db; border-radius: 8px; }
@media (max-width: 40rem) { main { margin: 0; border: 0; border-radius: 0; padding: 1rem; } }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
a { color: var(--accent); text-underline-offset: .15em; }
.small { font-size: .875rem; color: #4b5563; }
code { background: #f3f4f6; border-radius: 4px; padding: .1rem .3rem; font-size: .875em; }
fieldset.purpose { border: 1px solid #9ca3af; border-radius: 6px; margin: 1rem 0; padding: .5rem 1rem; min-width: 0; }
fieldset.purpose legend { font-weight: 600; padding: 0 .25rem; }
.choice { display: flex; gap: .6rem; align-items: center; }
.choice input { width: 1.25rem; height: 1.25rem; margin: 0; flex: none; accent-color: var(--accent); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; }
button { font: inherit; font-weight: 600; min-height: 44px; padding: .5rem 1.25rem; border: 2px solid var(--accent); border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
button:hover { text-decoration: underline; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
`;
