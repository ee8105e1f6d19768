#!/usr/bin/env node
/**
 * `npm run bench -- --soak`: two production-mode instances of the bench app on one PostgreSQL database,
 * under a mixed load for 30 minutes (`--minutes`): submissions, eligibility checks, withdrawals and RFC 8058
 * one-click unsubscribes, each request sent to either instance. It prints the error count (target 0: any
 * answer other than the route's success status, and any request that fails or is not answered within
 * `--timeout` seconds), each instance's RSS at the start and the end (target growth ≤ 50 MB), and at the end
 * runs the ledger verification and the replay check (states equal a replay of the ledger).
 *
 * Options: --minutes <n> (30), --connections <n> (concurrent requests, 8), --timeout <s> (30), --no-build.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { createPgSchema, procStatus } from './database.mjs';
import { startBenchServer } from './server-process.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const opts = {
  minutes: Number(option('minutes', 30)),
  connections: Number(option('connections', 8)),
  timeout: Number(option('timeout', 30)) * 1000,
};
const log = (...args) => console.error('[soak]', ...args);

const rssOf = (pid) => procStatus(pid, 'VmRSS');
const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request; resolves with the status and the parsed body, or rejects on a network error or timeout. */
const request = (base, method, path, { body, form, headers = {} } = {}) =>
  new Promise((resolve, reject) => {
    const data =
      form !== undefined ? Buffer.from(form) : body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const type = form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json';
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          ...(data ? { 'content-type': type, 'content-length': data.length } : {}),
          accept: 'application/json',
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: kept as text for the error report
          }
          resolve({ status: res.statusCode, body: parsed });
        });
      }
    );
    req.setTimeout(opts.timeout, () => req.destroy(new Error(`no answer within ${opts.timeout / 1000} s`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });

const main = async () => {
  const { schema, env, drop } = await createPgSchema('consent_soak');
  const servers = [];
  try {
    servers.push(await startBenchServer(env, { execArgv: ['--expose-gc'] }));
    // The second joins the first one's purposes, notices, form and API token (BENCH_JOIN).
    servers.push(await startBenchServer({ ...env, BENCH_JOIN: '1' }, { execArgv: ['--expose-gc'] }));
    const { token, notices, origin } = servers[0].info;
    const auth = { authorization: `Bearer ${token}` };
    const shown = Object.fromEntries(
      ['newsletter', 'partners', 'postal'].map((k) => [k, { version: notices[k].version, hash: notices[k].hash }])
    );

    const rssStart = [];
    for (const s of servers) rssStart.push((await s.call('gc')).rss && rssOf(s.child.pid));
    log(
      `two instances on PostgreSQL schema ${schema}; RSS at start ${rssStart.map(mb).join(', ')}; ${opts.minutes} min, ${opts.connections} concurrent requests`
    );

    const people = [];
    const counts = { submit: 0, check: 0, withdraw: 0, unsubscribe: 0 };
    const errors = [];
    let n = 0;
    const pick = () => servers[n++ % servers.length].base;
    const expect = (what, res, status) => {
      counts[what]++;
      if (res.status !== status) errors.push(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    };

    const operations = {
      async submit() {
        const email = `soak-${randomBytes(6).toString('hex')}@example.com`;
        const res = await request(pick(), 'POST', '/api/consent/submissions', {
          headers: { origin },
          body: {
            form: 'bench',
            locale: 'en',
            subject: { email },
            choices: { newsletter: true, partners: Math.random() < 0.5, postal: false },
            notices: shown,
          },
        });
        expect('submit', res, 201);
        if (res.status === 201) people.push(email);
      },
      async check() {
        const email = people[Math.floor(Math.random() * people.length)];
        expect(
          'check',
          await request(pick(), 'POST', '/api/consent/eligibility', {
            headers: auth,
            body: { purpose: 'newsletter', email },
          }),
          200
        );
      },
      async withdraw() {
        const email = people[Math.floor(Math.random() * people.length)];
        expect(
          'withdraw',
          await request(pick(), 'POST', '/api/consent/withdrawals', {
            body: { subject: { email }, purposes: ['partners'] },
          }),
          202
        );
      },
      async unsubscribe() {
        const email = people[Math.floor(Math.random() * people.length)];
        const links = await request(
          pick(),
          'GET',
          `/api/consent/headers?purpose=newsletter&email=${encodeURIComponent(email)}`,
          { headers: auth }
        );
        if (links.status !== 200) return expect('unsubscribe', links, 200);
        const path = new URL(links.body.data.unsubscribeUrl).pathname;
        expect('unsubscribe', await request(pick(), 'POST', path, { form: 'List-Unsubscribe=One-Click' }), 200);
      },
    };
    // Mostly submissions and checks, as a site sees them; a withdrawal or an unsubscribe now and then.
    const mix = [...Array(4).fill('submit'), ...Array(4).fill('check'), 'withdraw', 'unsubscribe'];

    const ends = Date.now() + opts.minutes * 60_000;
    let lastReport = Date.now();
    const worker = async () => {
      while (Date.now() < ends) {
        const op = people.length < 20 ? 'submit' : mix[Math.floor(Math.random() * mix.length)];
        try {
          await operations[op]();
        } catch (error) {
          counts[op]++;
          errors.push(`${op}: ${error.message}`);
        }
        if (Date.now() - lastReport > 60_000) {
          lastReport = Date.now();
          const minute = Math.round((opts.minutes * 60_000 - (ends - Date.now())) / 60_000);
          log(
            `${minute} min: ${JSON.stringify(counts)}, errors ${errors.length}, RSS ${servers.map((s) => mb(rssOf(s.child.pid))).join(', ')}`
          );
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: opts.connections }, worker));
    const seconds = (Date.now() - started) / 1000;

    const rssEnd = [];
    for (const s of servers) rssEnd.push((await s.call('gc')).rss && rssOf(s.child.pid));
    const verify = await servers[0].call('verify');
    const replay = await servers[1].call('replay');
    const total = Object.values(counts).reduce((a, b) => a + b, 0);

    const growth = rssEnd.map((end, i) => end - rssStart[i]);
    console.log(
      `\nSoak: two instances on PostgreSQL, ${(seconds / 60).toFixed(1)} min, ${opts.connections} concurrent requests`
    );
    console.log(
      `requests       ${total.toLocaleString('en')} (${(total / seconds).toFixed(0)}/s): ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}`
    );
    console.log(
      `errors         ${errors.length} (target 0)${errors.length ? `; first: ${errors.slice(0, 3).join(' | ')}` : ''}`
    );
    servers.forEach((_, i) =>
      console.log(
        `instance ${i + 1}     RSS ${mb(rssStart[i])} → ${mb(rssEnd[i])} (growth ${mb(growth[i])}; target ≤ 50 MB: ${growth[i] <= 50 * 1048576 ? 'met' : 'NOT MET'})`
      )
    );
    console.log(
      `verify         ${verify.ok ? 'intact' : 'BROKEN'}, ${verify.checked.toLocaleString('en')} events in ${(verify.ms / 1000).toFixed(1)} s`
    );
    console.log(
      `replay check   ${replay.ok ? 'every state equals the replay' : `${replay.mismatches?.length} MISMATCHES`} (${replay.checked.toLocaleString('en')} states)`
    );
    const passed = errors.length === 0 && verify.ok && replay.ok && growth.every((g) => g <= 50 * 1048576);
    process.exitCode = passed ? 0 : 1;
  } finally {
    for (const s of servers) await s.call('stop').catch(() => {});
    await drop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
