/**
 * `strapi-plugin-consent/client` stays small and self-contained (issue 8): its ESM bundle, minified by
 * esbuild and gzipped, is under 5 kB; it imports nothing; it never touches cookies or web storage (K1).
 */
import { buildSync } from 'esbuild';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const bundle = buildSync({
  entryPoints: [path.resolve(__dirname, '../../client/src/index.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  write: false,
}).outputFiles[0].text;

it('is under 5 kB minified and gzipped', () => {
  const bytes = gzipSync(bundle, { level: 9 }).length;
  process.stdout.write(`client ESM: ${bundle.length} B minified, ${bytes} B min+gzip\n`);
  expect(bytes).toBeLessThan(5 * 1024);
});

it('is dependency-free: the bundle imports nothing', () => {
  expect(bundle).not.toMatch(/\bimport\s*[\w{*]|\brequire\(/);
});

it('K1: never reads or writes cookies or web storage', () => {
  expect(bundle).not.toMatch(/document\.cookie|localStorage|sessionStorage|indexedDB/);
});
