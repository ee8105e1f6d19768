/**
 * A site owner brands the hosted pages from config `pages` (issue 17, point 12): every page a visitor
 * reaches carries the site's name, logo and accent colour, and loads nothing else (K1); a colour white
 * button text cannot be read on stops the boot.
 */
import { bootStrapi, type TestStrapi } from '../harness/strapi';

const pages = {
  siteName: 'Example Shop',
  logoUrl: '/uploads/logo.png',
  accentColor: '#0b6e4f',
};

describe('branded pages', () => {
  let app: TestStrapi;
  beforeAll(async () => {
    app = await bootStrapi({ pluginConfig: { pages } });
  });
  afterAll(() => app?.stop());

  it.each([
    '/api/consent/confirm/bm90.c2lnbmVk',
    '/api/consent/unsubscribe/bm90.c2lnbmVk',
    '/api/consent/renew/bm90.c2lnbmVk',
  ])('K1: %s has the site name, logo and colour, and no other resource', async (url) => {
    const res = await app.http().get(url).set('Accept', 'text/html').set('Accept-Language', 'de');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toContain(
      '<header class="site"><p><img src="/uploads/logo.png" alt=""><span>Example Shop</span></p></header>'
    );
    expect(res.text).toMatch(/<title>[^<]+ · Example Shop<\/title>/);
    expect(res.text).toContain('--accent: #0b6e4f;');
    expect([...res.text.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1])).toEqual(['/uploads/logo.png']);
    expect(res.text).not.toMatch(/<script/i);
  });
});

it('an accent colour white text cannot be read on stops the boot, naming the key and the ratio', async () => {
  await expect(bootStrapi({ pluginConfig: { pages: { accentColor: '#f5c400' } } })).rejects.toThrow(
    /consent\.pages\.accentColor #f5c400 has a contrast of 1\.\d\d:1 with the white text of buttons; WCAG AA needs at least 4\.5:1/
  );
});
