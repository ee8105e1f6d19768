/**
 * Lists every SQL statement of one submission beside one Strapi REST create, and of one eligibility check
 * beside the trivial route behind the same API token, with its time, on a fresh bench app (the built
 * plugin): the first thing to look at before cutting statements from the write path. Every statement is a
 * round trip to the database (BEGIN and COMMIT included), which on PostgreSQL costs far more than on SQLite.
 * `node bench/trace.mjs [--db sqlite|postgres]` (run `npm run build` first).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgSchema } from './database.mjs';
import { startBenchServer } from './server-process.mjs';

const argv = process.argv.slice(2);
const db = argv.includes('--db') ? argv[argv.indexOf('--db') + 1] : 'sqlite';
if (!['sqlite', 'postgres'].includes(db)) throw new Error('--db must be sqlite or postgres');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-trace-'));
const pg = db === 'postgres' ? await createPgSchema('consent_trace') : null;
const { port, info, call } = await startBenchServer(
  pg?.env ?? { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'trace.db') }
);

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
  // Under load submissions share transactions (group commit): the round trips per submission of 200 sent
  // ten at a time, beside as many Strapi creates.
  const perRequest = (label, r, n) =>
    console.log(
      `${label}: ${(r.statements / n).toFixed(2)} statements per request (BEGIN ${r.begin}, COMMIT ${r.commit}, ledger lock ${r.lock} for ${n} requests; ${JSON.stringify(r.statuses)})`
    );
  const N = 200;
  const many = await call('traceMany', {
    concurrency: 10,
    requests: Array.from({ length: N }, (_, i) => submission(1000 + i)),
  });
  perRequest('submissions, 10 at a time', many, N);
  const creates = await call('traceMany', {
    concurrency: 10,
    requests: Array.from({ length: N }, (_, i) => ({
      method: 'POST',
      path: '/api/bench-entries',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { name: 'Ada', email: `ada${i}@bench.example`, message: 'Hello' } }),
    })),
  });
  perRequest('Strapi creates, 10 at a time', creates, N);
  console.log('');

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
  await pg?.drop();
}
