/**
 * The hosted pages' look (issue 17, point 12): one inline stylesheet, nothing loaded from elsewhere unless
 * the site owner configures it (K1), and branding keys refused at boot when they would break the pages
 * (an http: logo, an accent colour white text cannot be read on, a template without its content).
 */
import { defaultConfig } from '../../server/src/config/defaults';
import { validateConfig } from '../../server/src/config/validate';
import { page, renderPage } from '../../server/src/hosted-pages/layout';
import { DEFAULT_ACCENT } from '../../server/src/hosted-pages/stylesheet';
import { contrastRatio } from '../../server/src/utils/contrast';

const withPages = (pages: Record<string, unknown>) => ({ ...defaultConfig, pages });
/** Every attribute through which a browser would fetch something. */
const fetched = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);

describe('contrastRatio (WCAG 2.2, 1.4.3)', () => {
  it('gives the reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 is the lightest grey with 4.5:1 on white.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('the default accent carries white text at AA', () => {
    expect(contrastRatio(DEFAULT_ACCENT, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});

describe('config pages', () => {
  it('accepts the documented branding', () => {
    const pages = {
      siteName: 'Example Shop',
      logoUrl: 'https://cdn.example.com/logo.svg',
      accentColor: '#0b6e4f',
      stylesheetUrl: '/uploads/consent.css',
      template:
        '<!doctype html><html lang="{{lang}}"><head>{{head}}</head><body><main>{{content}}</main></body></html>',
    };
    expect(() => validateConfig(withPages(pages), 'test')).not.toThrow();
  });

  it.each([
    [{ accentColor: 'teal' }, /consent\.pages\.accentColor must be a CSS colour written #rrggbb or #rgb/],
    [{ accentColor: '#ffcc00' }, /consent\.pages\.accentColor #ffcc00 has a contrast of 1\.\d\d:1 .* at least 4\.5:1/],
    [
      { siteName: 'Shop', logoUrl: 'http://cdn.example.com/logo.png' },
      /consent\.pages\.logoUrl must be an https:\/\/ URL or a path/,
    ],
    [
      { siteName: 'Shop', logoUrl: '//cdn.example.com/logo.png' },
      /consent\.pages\.logoUrl must be an https:\/\/ URL or a path/,
    ],
    [{ logoUrl: 'https://cdn.example.com/logo.png' }, /consent\.pages\.logoUrl needs pages\.siteName/],
    [{ stylesheetUrl: 'javascript:alert(1)' }, /consent\.pages\.stylesheetUrl must be an https:\/\/ URL/],
    [{ template: '<html><body>{{ content }}</body></html>' }, /consent\.pages\.template must contain \{\{content\}\}/],
    [{ sitename: 'Shop' }, /consent\.pages has unknown key\(s\): sitename/],
  ])('refuses %j at boot, naming the key', (pages, message) => {
    expect(() => validateConfig(withPages(pages), 'test')).toThrow(message);
  });
});

describe('renderPage', () => {
  it('K1: without branding a page loads nothing: no src, no href, no script', () => {
    const html = page('fr', 'Merci', '<p>Vos choix ont été enregistrés.</p>');
    expect(fetched(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).toContain('<html lang="fr">');
    expect(html).toMatch(/<main>\s*<h1>Merci<\/h1>/);
  });

  it('K1: the logo and the stylesheet are the only resources, and only when configured', () => {
    const html = renderPage(
      {
        siteName: 'Shop & Co',
        logoUrl: 'https://cdn.example.com/logo.svg',
        stylesheetUrl: 'https://cdn.example.com/c.css',
        accentColor: '#0b6e4f',
      },
      'en',
      'Thank you',
      '<p>Done.</p>'
    );
    expect(fetched(html)).toEqual(['https://cdn.example.com/c.css', 'https://cdn.example.com/logo.svg']);
    // The logo is decorative next to the name that says the same.
    expect(html).toContain('<img src="https://cdn.example.com/logo.svg" alt=""><span>Shop &amp; Co</span>');
    expect(html).toContain('<title>Thank you · Shop &amp; Co</title>');
    expect(html).toContain('--accent: #0b6e4f;');
  });

  it('a template frames the page; its placeholders are filled, the values escaped', () => {
    const template =
      '<!doctype html><html lang="{{lang}}"><head>{{head}}</head><body><nav>Shop</nav><main>{{content}}</main><footer>{{title}}</footer></body></html>';
    const html = renderPage({ template, siteName: 'A "B"' }, 'de', 'Danke $& $1', '<p>Gespeichert.</p>');
    expect(html).toMatch(/^<!doctype html><html lang="de"><head><meta charset="utf-8">/);
    expect(html).toContain('<main><h1>Danke $&amp; $1</h1>\n<p>Gespeichert.</p></main>');
    expect(html).toContain('<footer>Danke $&amp; $1 · A &quot;B&quot;</footer>');
    expect(html).not.toContain('{{');
  });
});
