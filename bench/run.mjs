#!/usr/bin/env node
/**
 * `npm run bench`: the plugin beside plain Strapi, from 10k to 1M ledger events, in one run (README,
 * "Benchmarks"). Boots bench/app (production mode, built plugin) in a child process, seeds the ledger
 * through the fast path (bench/seed.cjs), and measures over HTTP on loopback with autocannon:
 *
 *   1. submissions/s and p50/p99 beside Strapi's own REST create of a comparable entry (ratio);
 *   2. single eligibility checks/s and p50/p99 beside a trivial route (the HTTP floor; ratio);
 *   3. bulk eligibility of 10,000 people: time per call;
 *   4. the audience export of everyone eligible: time and the server's peak RSS growth;
 *   5. ledger verification: the whole chain (events/s), and after 1,000 new events from the signed checkpoint;
 *   6. how 1, 2 and 4 change with the ledger's size;
 *   7. a consent-gated send to the newsletter's audience: recipients per second, peak RSS growth.
 *
 * Options: --quick (10k only, short runs: a CI smoke), --db sqlite|postgres, --scales 10k,100k,1m,
 * --duration <s>, --connections <n>, --no-build, --only submit,create,check,ping,bulk,export,verify,send,
 * --profile (a CPU profile of the server per load figure, in bench/results/profiles/; read them with
 * bench/profile-summary.mjs or Chrome DevTools), --out <file>, --soak (bench/soak.mjs: two instances on
 * PostgreSQL under a mixed load for 30 minutes; --minutes, --connections, --timeout).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createPgSchema, procStatus } from './database.mjs';
import { startBenchServer } from './server-process.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench', 'results');

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const parseScale = (s) => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--scales: "${s}" is not a count like 10k or 1m`);
  return Math.round(Number(m[1]) * { '': 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()]);
};
const quick = flag('quick');
const opts = {
  quick,
  db: option('db', 'sqlite'),
  scales: option('scales', quick ? '10k' : '10k,100k,1m')
    .split(',')
    .map(parseScale),
  duration: Number(option('duration', quick ? 3 : 10)),
  connections: Number(option('connections', 10)),
  bulkCalls: Number(option('bulk-calls', quick ? 3 : 5)),
  build: !flag('no-build'),
  profile: flag('profile'),
  // For profiling one figure: e.g. --only submit,create (submit, create, check, ping, bulk, export, verify).
  only: option('only', null)?.split(','),
  out: option('out', null),
  keep: flag('keep'),
};
if (!['sqlite', 'postgres'].includes(opts.db)) throw new Error('--db must be sqlite or postgres');

const log = (...args) => console.error('[bench]', ...args);
const want = (name) => !opts.only || opts.only.includes(name);

// ---------------------------------------------------------------- build

/** The built plugin, rebuilt when a source file is newer than dist/ (what `npm install` would load). */
const ensureBuilt = () => {
  const built = path.join(ROOT, 'dist', 'server', 'index.js');
  const newest = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
    }, 0);
  const stale =
    !fs.existsSync(built) ||
    Math.max(newest(path.join(ROOT, 'server', 'src')), newest(path.join(ROOT, 'shared'))) > fs.statSync(built).mtimeMs;
  if (!stale) return;
  if (!opts.build)
    throw new Error('dist/ is missing or older than server/src: run `npm run build` (or drop --no-build)');
  log('building the plugin (npm run build) …');
  const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error('npm run build failed');
};

// ---------------------------------------------------------------- database

const createDatabase = async () => {
  if (opts.db === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-bench-'));
    return {
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'bench.db') },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  return createPgSchema('consent_bench');
};

// ---------------------------------------------------------------- the server process

const startServer = (database) => startBenchServer(database.env, { execArgv: ['--expose-gc'] });

// ---------------------------------------------------------------- HTTP measures

const json = (base, method, urlPath, body, headers = {}) =>
  new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      `${base}${urlPath}`,
      {
        method,
        headers: { ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}), ...headers },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode, body: parsed });
        });
      }
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });

/** User and system CPU time of a process so far, in ms (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
const cpuMsOf = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** One autocannon run; `next()` gives each request its own body or path. Non-2xx answers are failures. */
const load = async (label, { url, method = 'GET', headers = {}, next, duration = opts.duration, server, scale }) => {
  let failure;
  const run = (seconds) =>
    autocannon({
      url,
      method,
      connections: opts.connections,
      duration: seconds,
      headers,
      requests: [
        {
          setupRequest: (req) => ({ ...req, ...(next ? next() : {}) }),
          onResponse: (status, body) => {
            if (status >= 300 && !failure) failure = `${status} ${String(body).slice(0, 300)}`;
          },
        },
      ],
    });
  await run(1); // warm-up: JIT, connection pools, caches
  const profile =
    opts.profile &&
    path.join(
      RESULTS,
      'profiles',
      `${fmtScale(scale)}-${label.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.cpuprofile`
    );
  if (profile) await server.call('profileStart');
  const cpuBefore = cpuMsOf(server.child.pid);
  const r = await run(duration);
  const cpuMs = cpuMsOf(server.child.pid) - cpuBefore;
  if (profile)
    log(`  profile: ${path.relative(process.cwd(), (await server.call('profileStop', { file: profile })).file)}`);
  const out = {
    label,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    // The server's CPU time per request: on a shared machine far steadier than req/s (the database's own
    // CPU is not in it).
    cpuMsPerRequest: r.requests.total ? Math.round((cpuMs / r.requests.total) * 100) / 100 : null,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
  if (out.non2xx || out.errors)
    log(`  ! ${label}: ${out.non2xx} non-2xx answers, ${out.errors} errors; first: ${failure}`);
  log(
    `  ${label}: ${out.rps} req/s, p50 ${out.p50} ms, p99 ${out.p99} ms, ${out.cpuMsPerRequest} ms server CPU per request`
  );
  return out;
};

const measureScale = async (server, scale, runId) => {
  const { base, info, call } = server;
  const auth = { authorization: `Bearer ${info.token}` };
  const jsonHeaders = { 'content-type': 'application/json' };
  const out = { scale };

  const seeded = await call('seed', { target: scale });
  out.seed = { ...seeded, eventsPerSecond: seeded.ms ? Math.round((seeded.events / seeded.ms) * 1000) : null };
  out.counts = await call('counts');
  log(
    `${scale.toLocaleString('en')} events: seeded ${seeded.events.toLocaleString('en')} events (${seeded.people.toLocaleString('en')} people) in ${(seeded.ms / 1000).toFixed(1)} s`
  );
  const people = out.counts.seededSubjects;
  const someone = () => `user${Math.floor(Math.random() * people)}@bench.example`;

  // 1. Submissions beside Strapi's REST create.
  let n = 0;
  const tag = `${runId}-${scale}`;
  // What a front end displays: the current notice versions, from the public form definition.
  const form = await json(base, 'GET', '/api/consent/forms/bench?locale=en');
  if (form.status !== 200) throw new Error(`GET /api/consent/forms/bench answered ${form.status}`);
  const shown = Object.fromEntries(
    form.body.data.purposes.map((p) => [p.key, { version: p.notice.version, hash: p.notice.hash }])
  );
  if (want('submit'))
    out.submit = await load('submit (plugin)', {
      server,
      scale,
      url: `${base}/api/consent/submissions`,
      method: 'POST',
      headers: { ...jsonHeaders, origin: info.origin, 'user-agent': 'Mozilla/5.0 (bench) autocannon' },
      next: () => {
        n += 1;
        return {
          body: JSON.stringify({
            form: 'bench',
            locale: 'en',
            subject: { email: `new${n}-${tag}@bench.example` },
            // Newsletter ticked, partner offers shown and left unticked, the postal objection box unticked.
            choices: { newsletter: true },
            notices: shown,
            context: { url: 'https://shop.bench.example/join?utm_source=bench' },
            fields: { firstName: 'Ada' },
          }),
        };
      },
    });
  if (want('create'))
    out.create = await load('create (Strapi REST)', {
      server,
      scale,
      url: `${base}/api/bench-entries`,
      method: 'POST',
      headers: jsonHeaders,
      next: () => {
        n += 1;
        return {
          body: JSON.stringify({
            data: {
              name: 'Ada Lovelace',
              email: `new${n}-${tag}@bench.example`,
              message: 'Please call me back about my order.',
            },
          }),
        };
      },
    });

  // 2. Single checks beside the trivial route.
  if (want('check'))
    out.check = await load('check (plugin)', {
      server,
      scale,
      url: `${base}/api/consent/eligibility`,
      headers: auth,
      next: () => ({
        path: `/api/consent/eligibility?purpose=newsletter&channel=email&email=${encodeURIComponent(someone())}`,
      }),
    });
  if (want('ping')) out.ping = await load('ping (trivial route)', { server, scale, url: `${base}/api/bench/ping` });
  if (want('ping'))
    out.pingAuth = await load('ping with API token', {
      server,
      scale,
      url: `${base}/api/bench/ping-auth`,
      headers: auth,
    });

  // 3. Bulk eligibility of 10,000 people.
  if (want('bulk')) await measureBulk(out, base, auth, someone);
  if (want('export')) await measureExport(out, server, auth);
  if (want('verify')) await measureVerify(out, call, scale);
  // Last: a send records `contacted` events, which the figures above should not see.
  if (want('send')) await measureSend(out, server, auth);
  return out;
};

const measureBulk = async (out, base, auth, someone) => {
  const bulkMs = [];
  for (let i = 0; i < opts.bulkCalls; i++) {
    const subjects = Array.from({ length: 10_000 }, () => ({ email: someone() }));
    const started = performance.now();
    const res = await json(
      base,
      'POST',
      '/api/consent/eligibility',
      { purpose: 'newsletter', channel: 'email', subjects },
      auth
    );
    bulkMs.push(performance.now() - started);
    if (res.status !== 200 || res.body.data.length !== 10_000)
      throw new Error(`bulk eligibility answered ${res.status}`);
  }
  bulkMs.sort((a, b) => a - b);
  out.bulk = {
    calls: bulkMs.length,
    medianMs: Math.round(bulkMs[bulkMs.length >> 1]),
    maxMs: Math.round(bulkMs.at(-1)),
  };
  log(`  bulk 10,000: median ${out.bulk.medianMs} ms, max ${out.bulk.maxMs} ms`);
};

// 4. Audience export, with the server's peak RSS.
const measureExport = async (out, server, auth) => {
  const { base, call } = server;
  await call('gc');
  const pid = server.child.pid;
  const rssBefore = procStatus(pid, 'VmRSS');
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM (peak RSS) to the current RSS
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, procStatus(pid, 'VmRSS'))), 10);
  const profile = opts.profile && path.join(RESULTS, 'profiles', `${fmtScale(out.scale)}-export.cpuprofile`);
  if (profile) await server.call('profileStart');
  const started = performance.now();
  const exported = await new Promise((resolve, reject) => {
    http
      .get(`${base}/api/consent/audiences/newsletter?channel=email`, { headers: auth }, (res) => {
        let lines = 0;
        let bytes = 0;
        res.on('data', (chunk) => {
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines += 1;
        });
        res.on('end', () => resolve({ status: res.statusCode, lines, bytes }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
  const exportMs = performance.now() - started;
  clearInterval(sampler);
  if (profile)
    log(`  profile: ${path.relative(process.cwd(), (await server.call('profileStop', { file: profile })).file)}`);
  peak = Math.max(peak, procStatus(pid, 'VmHWM'));
  if (exported.status !== 200) throw new Error(`audience answered ${exported.status}`);
  out.export = {
    members: exported.lines,
    megabytes: Math.round((exported.bytes / 2 ** 20) * 10) / 10,
    ms: Math.round(exportMs),
    peoplePerSecond: Math.round((exported.lines / exportMs) * 1000),
    rssBeforeMb: Math.round(rssBefore / 2 ** 20),
    peakRssGrowthMb: Math.round(((peak - rssBefore) / 2 ** 20) * 10) / 10,
  };
  log(
    `  export: ${exported.lines.toLocaleString('en')} people in ${out.export.ms} ms (${out.export.peoplePerSecond.toLocaleString('en')}/s), peak RSS +${out.export.peakRssGrowthMb} MB`
  );
};

// 5. Ledger verification: the whole chain (events/s), then, the full one having left a signed checkpoint at
// the head, 1,000 more events through the seed fast path and a verification from that checkpoint.
const INCREMENTAL_EVENTS = 1000;
const measureVerify = async (out, call, scale) => {
  const profile = opts.profile && path.join(RESULTS, 'profiles', `${fmtScale(scale)}-verify.cpuprofile`);
  if (profile) await call('profileStart');
  const verified = await call('verify', { from: 'start' });
  if (profile) log(`  profile: ${path.relative(process.cwd(), (await call('profileStop', { file: profile })).file)}`);
  if (!verified.ok) throw new Error(`the ledger does not verify: ${JSON.stringify(verified.firstBadEvent)}`);
  out.verify = {
    events: verified.checked,
    ms: Math.round(verified.ms),
    eventsPerSecond: Math.round((verified.checked / verified.ms) * 1000),
    // Events per second of the server's CPU time: what an unloaded core would reach, near enough.
    eventsPerCpuSecond: verified.cpuMs ? Math.round((verified.checked / verified.cpuMs) * 1000) : null,
  };
  log(
    `  verify: ${verified.checked.toLocaleString('en')} events in ${out.verify.ms} ms (${out.verify.eventsPerSecond.toLocaleString('en')} events/s; ${out.verify.eventsPerCpuSecond?.toLocaleString('en')} per CPU second)`
  );
  const { events } = await call('counts');
  await call('seed', { target: events + INCREMENTAL_EVENTS });
  const incremental = await call('verify', { from: 'checkpoint' });
  if (!incremental.ok || !incremental.from)
    throw new Error(`the incremental verification failed: ${JSON.stringify(incremental).slice(0, 300)}`);
  out.verifyIncremental = {
    events: incremental.checked,
    fromSeq: incremental.from.seq,
    ms: Math.round(incremental.ms),
  };
  log(
    `  verify after ${incremental.checked.toLocaleString('en')} new events (from checkpoint at ${incremental.from.seq.toLocaleString('en')}): ${out.verifyIncremental.ms} ms`
  );
};

// 7. Consent-gated sending to the newsletter's whole audience: recipients per second through the worker
// (eligibility at sending, one mail each through the email plugin, a `contacted` event each) and the
// server's peak RSS growth. The bench app's mail provider is nodemailer's JSON transport: the figure is the
// plugin's own cost, without an SMTP relay's.
const measureSend = async (out, server, auth) => {
  const { base, call } = server;
  await call('gc');
  const pid = server.child.pid;
  const rssBefore = procStatus(pid, 'VmRSS');
  fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, procStatus(pid, 'VmRSS'))), 10);
  const started = performance.now();
  const template = {
    subject: 'Bench news',
    html: '<p>News</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a> <a href="{{preferencesUrl}}">Preferences</a></p>',
    text: 'News\nUnsubscribe: {{unsubscribeUrl}}\nPreferences: {{preferencesUrl}}',
  };
  const created = await json(
    base,
    'POST',
    '/api/consent/messages',
    { purpose: 'newsletter', channel: 'email', audience: 'newsletter', template },
    auth
  );
  if (created.status !== 202)
    throw new Error(`messages answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
  const queuedMs = performance.now() - started;
  let job;
  for (;;) {
    job = (await json(base, 'GET', `/api/consent/messages/${created.body.data.id}?pageSize=1`, undefined, auth)).body
      .data;
    if (job.status === 'done') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, procStatus(pid, 'VmHWM'));
  out.send = {
    recipients: job.counts.total,
    sent: job.counts.sent,
    skipped: job.counts.skipped,
    failed: job.counts.failed,
    queuedMs: Math.round(queuedMs),
    ms: Math.round(ms),
    perSecond: Math.round((job.counts.total / ms) * 1000),
    peakRssGrowthMb: Math.round(((peak - rssBefore) / 2 ** 20) * 10) / 10,
  };
  log(
    `  send: ${job.counts.total.toLocaleString('en')} recipients (${job.counts.sent} sent) in ${out.send.ms} ms (${out.send.perSecond}/s; queued in ${out.send.queuedMs} ms), peak RSS +${out.send.peakRssGrowthMb} MB`
  );
};

// ---------------------------------------------------------------- report

const ratio = (a, b) => (a != null && b ? Math.round((a / b) * 100) / 100 : null);
const fmtScale = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const rate = (m) => m && `${m.rps} (${m.p50} / ${m.p99})`;
const times = (v) => v != null && `${v}×`;

const TARGETS = {
  submitRatio: { text: `submissions ≥ 2× Strapi create on ${opts.db} (< 1× is a defect)`, min: 2 },
  checkRatio: { text: 'single check ≥ 0.8× trivial route behind the same API token', min: 0.8 },
  checkUnprotectedRatio: { text: 'single check ≥ 0.5× unprotected trivial route', min: 0.5 },
  bulkMs: { text: 'bulk 10,000 ≤ 1 s', max: 1000 },
  exportPeoplePerSecond: { text: 'export ≥ 100,000 people/s (at the largest scale)', min: 100_000 },
  exportRssMb: { text: 'export peak RSS growth ≤ 100 MB (at the largest scale)', max: 100 },
  submitP99Growth: { text: 'submit p99 growth ≤ 1.5× (smallest → largest scale)', max: 1.5 },
  checkP99Growth: { text: 'check p99 growth ≤ 1.5× (smallest → largest scale)', max: 1.5 },
  verifyEventsPerSecond: { text: 'full verification ≥ 100,000 events/s (at the largest scale)', min: 100_000 },
  verifyIncrementalMs: { text: 'verify after 1,000 new events ≤ 1 s (at the largest scale)', max: 1000 },
};

const summarise = (scales) => {
  const first = scales[0];
  const last = scales.at(-1);
  const many = scales.length > 1;
  const bulk = scales.map((s) => s.bulk?.medianMs).filter((v) => v != null);
  const figures = {
    submitRatio: ratio(last.submit?.rps, last.create?.rps),
    checkRatio: ratio(last.check?.rps, last.pingAuth?.rps),
    checkUnprotectedRatio: ratio(last.check?.rps, last.ping?.rps),
    bulkMs: bulk.length ? Math.max(...bulk) : null,
    exportPeoplePerSecond: last.export?.peoplePerSecond ?? null,
    exportRssMb: last.export?.peakRssGrowthMb ?? null,
    submitP99Growth: many ? ratio(last.submit?.p99, first.submit?.p99) : null,
    checkP99Growth: many ? ratio(last.check?.p99, first.check?.p99) : null,
    verifyEventsPerSecond: last.verify?.eventsPerSecond ?? null,
    verifyIncrementalMs: last.verifyIncremental?.ms ?? null,
  };
  return Object.fromEntries(
    Object.entries(TARGETS).map(([key, t]) => {
      const value = figures[key];
      const met = value == null ? null : t.min != null ? value >= t.min : value <= t.max;
      return [key, { target: t.text, value, met }];
    })
  );
};

const printTable = (result) => {
  const rows = [];
  const add = (what, ...cells) => rows.push([what, ...cells.map((c) => (c == null || c === false ? '–' : String(c)))]);
  const s = result.scales;
  const f = s[0];
  add('ledger events', ...s.map((x) => fmtScale(x.scale)));
  add(
    'seeding (s, events/s)',
    ...s.map((x) => `${(x.seed.ms / 1000).toFixed(1)} s, ${x.seed.eventsPerSecond ?? '–'}/s`)
  );
  add('1. submit req/s (p50 / p99 ms)', ...s.map((x) => rate(x.submit)));
  add('   Strapi create req/s (p50 / p99)', ...s.map((x) => rate(x.create)));
  add('   ratio submit / create', ...s.map((x) => times(ratio(x.submit?.rps, x.create?.rps))));
  add('2. check req/s (p50 / p99 ms)', ...s.map((x) => rate(x.check)));
  add('   trivial route req/s (p50 / p99)', ...s.map((x) => rate(x.ping)));
  add('   ratio check / trivial', ...s.map((x) => times(ratio(x.check?.rps, x.ping?.rps))));
  add('   trivial + API token req/s', ...s.map((x) => rate(x.pingAuth)));
  add('   ratio check / trivial + token', ...s.map((x) => times(ratio(x.check?.rps, x.pingAuth?.rps))));
  add('3. bulk 10,000 (median / max ms)', ...s.map((x) => x.bulk && `${x.bulk.medianMs} / ${x.bulk.maxMs}`));
  add(
    '4. export: people, ms (people/s)',
    ...s.map((x) => x.export && `${x.export.members}, ${x.export.ms} ms (${x.export.peoplePerSecond ?? '–'}/s)`)
  );
  add('   export peak RSS growth', ...s.map((x) => x.export && `+${x.export.peakRssGrowthMb} MB`));
  add(
    '5. verify ledger (events, ms, events/s)',
    ...s.map((x) => x.verify && `${x.verify.events}, ${x.verify.ms} ms, ${x.verify.eventsPerSecond}/s`)
  );
  add(
    '   verify after 1,000 new events (ms)',
    ...s.map((x) => x.verifyIncremental && `${x.verifyIncremental.events}, ${x.verifyIncremental.ms} ms`)
  );
  add('7. send: recipients, per s', ...s.map((x) => x.send && `${x.send.recipients}, ${x.send.perSecond}/s`));
  add('   send peak RSS growth', ...s.map((x) => x.send && `+${x.send.peakRssGrowthMb} MB`));
  if (s.length > 1) {
    add(
      `6. vs ${fmtScale(f.scale)}: submit req/s, p99`,
      ...s.map(
        (x) => x.submit && `${times(ratio(x.submit.rps, f.submit?.rps))}, ${times(ratio(x.submit.p99, f.submit?.p99))}`
      )
    );
    add(
      '   check req/s, p99',
      ...s.map(
        (x) => x.check && `${times(ratio(x.check.rps, f.check?.rps))}, ${times(ratio(x.check.p99, f.check?.p99))}`
      )
    );
    add('   export ms', ...s.map((x) => x.export && times(ratio(x.export.ms, f.export?.ms))));
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
  const out = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)];
  console.log(
    `\nstrapi-plugin-consent benchmark — ${result.date}, ${result.db}, ${result.mode} mode, ${result.machine.cpus} × ${result.machine.cpu}, Node ${result.machine.node}`
  );
  console.log(
    `autocannon: ${result.settings.connections} connections, ${result.settings.durationSeconds} s per figure after a 1 s warm-up, loopback; server: NODE_ENV=${result.server.nodeEnv}, built plugin, rate limits ${result.server.rateLimit === false ? 'DISABLED (rateLimit: false) for the load generator' : JSON.stringify(result.server.rateLimit)}\n`
  );
  console.log(out.join('\n'));
  console.log('\ntargets:');
  for (const t of Object.values(result.targets)) {
    console.log(`  ${t.met == null ? '–     ' : t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.value ?? 'n/a'}`);
  }
};

// ---------------------------------------------------------------- main

const main = async () => {
  ensureBuilt();
  // Two instances on PostgreSQL under a mixed load for half an hour: bench/soak.mjs reads its own options.
  if (flag('soak')) return import('./soak.mjs');
  const database = await createDatabase();
  let server;
  try {
    log(`booting Strapi (production, ${opts.db}) …`);
    server = await startServer(database);
    const runId = randomBytes(3).toString('hex');
    const scales = [];
    for (const scale of opts.scales) scales.push(await measureScale(server, scale, runId));
    const cpus = os.cpus();
    const result = {
      date: new Date().toISOString(),
      db: opts.db,
      mode: opts.quick ? 'quick' : 'full',
      machine: {
        cpus: cpus.length,
        cpu: cpus[0]?.model.trim(),
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      settings: {
        connections: opts.connections,
        durationSeconds: opts.duration,
        warmupSeconds: 1,
        bulkCalls: opts.bulkCalls,
      },
      server: { nodeEnv: server.info.env, rateLimit: server.info.rateLimit },
      scales,
      targets: summarise(scales),
    };
    printTable(result);
    fs.mkdirSync(RESULTS, { recursive: true });
    const file =
      opts.out ?? path.join(RESULTS, `${result.date.slice(0, 19).replace(/:/g, '-')}-${opts.db}-${result.mode}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
  } finally {
    if (server) await server.call('stop').catch(() => server.child.kill());
    if (server && server.child.exitCode === null) await new Promise((r) => server.child.once('exit', r));
    // --keep leaves the seeded database for EXPLAIN and the like: the schema or file it names.
    if (opts.keep) log('kept:', database.env.DATABASE_SCHEMA ?? database.env.DATABASE_FILENAME);
    else await database.drop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
