/**
 * Lists every SQL statement of one submission beside one Strapi REST create, and of one eligibility check
 * beside the trivial route behind the same API token, with its time, on a fresh
 * SQLite bench app (the built plugin): the first thing to look at before cutting statements from the
 * write path. `node bench/trace.mjs` (run `npm run build` first).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBenchServer } from './server-process.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-trace-'));
const { port, info, call } = await startBenchServer({
  DATABASE_CLIENT: 'sqlite',
  DATABASE_FILENAME: path.join(dir, 'trace.db'),
});

try {
  const form = await (await fetch(`http://127.0.0.1:${port}/api/consent/forms/bench?locale=en`)).json();
  const shown = Object.fromEntries(
    form.data.purposes.map((p) => [p.key, { version: p.notice.version, hash: p.notice.hash }])
  );
  const submission = (n) => ({
    method: 'POST',
    path: '/api/consent/submissions',
    headers: { 'content-type': 'application/json', origin: info.origin },
    body: JSON.stringify({
      form: 'bench',
      locale: 'en',
      subject: { email: `trace${n}@bench.example` },
      choices: { newsletter: true },
      notices: shown,
    }),
  });
  // The first request warms caches and creates rows lazily; the second is the steady state.
  await call('trace', submission(1));
  const submit = await call('trace', submission(2));
  console.log(
    `submission (${submit.status}): ${submit.statements.length} statements\n${submit.statements.join('\n')}\n`
  );
  const create = await call('trace', {
    method: 'POST',
    path: '/api/bench-entries',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { name: 'Ada', email: 'ada@bench.example', message: 'Hello' } }),
  });
  console.log(
    `Strapi create (${create.status}): ${create.statements.length} statements\n${create.statements.join('\n')}\n`
  );
  const auth = { authorization: `Bearer ${info.token}` };
  const check = async () =>
    call('trace', {
      method: 'GET',
      path: '/api/consent/eligibility?purpose=newsletter&channel=email&email=trace2%40bench.example',
      headers: auth,
    });
  // Two warm-up checks: the first writes the token's lastUsedAt, so only the second's read is cached.
  await check();
  await check();
  const checked = await check();
  console.log(
    `eligibility check (${checked.status}): ${checked.statements.length} statements\n${checked.statements.join('\n')}\n`
  );
  await call('trace', { method: 'GET', path: '/api/bench/ping-auth', headers: auth });
  const ping = await call('trace', { method: 'GET', path: '/api/bench/ping-auth', headers: auth });
  console.log(
    `trivial route with the API token (${ping.status}): ${ping.statements.length} statements\n${ping.statements.join('\n')}`
  );
} finally {
  await call('stop').catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
}
