/**
 * The Strapi under test, in its own process so the load generator never shares its event loop: the bench
 * app (bench/app) in production mode with the built plugin, listening on PORT. It sets up the editor's
 * content (purposes, published notices, the `bench` form) and an API token, then answers the parent's
 * messages: `seed` (the fast path, bench/seed.cjs), `verify` (ledger.verify({ from }): 'start' or 'checkpoint'), `replay` (the replay check), `gc`,
 * `counts`, `stop`. With BENCH_JOIN set it joins content an instance on the same database already set up.
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');
const { createSeeder } = require('./seed.cjs');

const APP_DIR = path.join(__dirname, 'app');
const ORIGIN = 'https://shop.bench.example';

const PURPOSES = {
  newsletter: { key: 'newsletter', name: 'Newsletter', legalBasis: 'consent', channels: ['email'], lifetimeDays: 730 },
  partners: { key: 'partners', name: 'Partner offers', legalBasis: 'consent', channels: ['email'] },
  postal: {
    key: 'postal',
    name: 'Catalogue by post',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-2026-01',
    channels: ['postal'],
  },
  sms: { key: 'sms', name: 'Text offers', legalBasis: 'consent', channels: ['sms'] },
};

/** The notices the `bench` form shows, as a front end reads them. */
const currentNotices = async (strapi) => {
  const notices = {};
  for (const key of Object.keys(PURPOSES)) {
    const row = await strapi.db
      .query('plugin::consent.notice')
      .findOne({ where: { purpose: key, status: 'published' } });
    notices[key] = { id: row.id, version: row.version, hash: row.contentHash };
  }
  return notices;
};

const setup = async (strapi) => {
  const consent = strapi.plugin('consent');
  for (const input of Object.values(PURPOSES)) {
    await consent.service('purposes').create(input);
    const draft = await consent.service('notices').createDraft({
      purpose: input.key,
      locale: 'en',
      title: `About ${input.name}`,
      body: `We use your email address to send you ${input.name.toLowerCase()}. You can withdraw at any time.`,
      dataCategories: ['email address'],
      recipients: input.key === 'partners' ? ['Partner GmbH'] : [],
      privacyPolicyUrl: 'https://shop.bench.example/privacy',
    });
    await consent.service('notices').publish(draft.id);
  }
  await consent.service('forms').create({
    key: 'bench',
    name: 'Sign-up',
    purposes: ['newsletter', 'partners', 'postal'],
    allowedOrigins: [ORIGIN],
    successUrl: `${ORIGIN}/thanks`,
  });
  const token = await strapi
    .service('admin::api-token-content-api')
    .create({ name: 'bench', description: '', type: 'full-access', lifespan: null });
  return { token: token.accessKey, notices: await currentNotices(strapi) };
};

(async () => {
  const app = createStrapi({ appDir: APP_DIR, distDir: APP_DIR, autoReload: false });
  app.log.level = process.env.BENCH_LOG ?? 'warn';
  await app.start();
  // A second instance on the same database (the soak benchmark, or a database kept by `--keep`) joins the
  // first one's content, with an API token of its own.
  const { token, notices } = process.env.BENCH_JOIN
    ? {
        token: (
          await app.service('admin::api-token-content-api').create({
            name: `bench-${process.pid}-${Date.now()}`,
            description: '',
            type: 'full-access',
            lifespan: null,
          })
        ).accessKey,
        notices: await currentNotices(app),
      }
    : await setup(app);
  const engine = app.config.get('database.connection.client') === 'sqlite' ? 'sqlite' : 'postgres';
  const seeder = createSeeder(app, { engine, notices, purposes: PURPOSES });
  const knex = app.db.connection;
  const count = async (table) => Number((await knex(table).count({ n: '*' }))[0].n);

  // CPU profiles of one measure at a time (`npm run bench -- --profile`), not of the boot and the seeding.
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));

  const handlers = {
    async profileStart() {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
      return {};
    },
    async profileStop({ file }) {
      const { profile } = await post('Profiler.stop');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      return { file };
    },
    seed: ({ target }) => seeder.seedTo(target),
    async verify({ from = 'start' } = {}) {
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      const result = await app.plugin('consent').service('ledger').verify({ from });
      const used = process.cpuUsage(cpu);
      // CPU time as well: on a shared machine it says more than the wall clock (SQLite runs in this thread).
      return {
        ...result,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        cpuMs: (used.user + used.system) / 1000,
      };
    },
    async replay() {
      const started = process.hrtime.bigint();
      const result = await app.plugin('consent').service('ledger').replay();
      return { ...result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
    },
    gc() {
      global.gc?.();
      global.gc?.();
      return { rss: process.memoryUsage().rss };
    },
    async counts() {
      return {
        events: await count('consent_events'),
        states: await count('consent_states'),
        subjects: await count('consent_subjects'),
        seededSubjects: seeder.subjects,
      };
    },
    /** Every SQL statement one call of `fn` runs, with its time (for finding hot spots; BENCH debugging). */
    async trace({ method, path: url, body, headers }) {
      const statements = [];
      const started = new Map();
      // BEGIN and COMMIT have no query id and no response event: listed when sent, without a time.
      const onQuery = (q) =>
        q.__knexQueryUid
          ? started.set(q.__knexQueryUid, { sql: q.sql, t: process.hrtime.bigint() })
          : statements.push(`   –     ${q.sql}`);
      const onResponse = (_r, q) => {
        const s = started.get(q.__knexQueryUid);
        if (s)
          statements.push(`${(Number(process.hrtime.bigint() - s.t) / 1e6).toFixed(2)} ms  ${s.sql.slice(0, 160)}`);
      };
      knex.client.on('query', onQuery).on('query-response', onResponse);
      try {
        const res = await fetch(`http://127.0.0.1:${process.env.PORT}${url}`, { method, body, headers });
        return { status: res.status, statements };
      } finally {
        knex.client.off('query', onQuery).off('query-response', onResponse);
      }
    },
    /**
     * Round trips of many requests sent `concurrency` at a time (as the load does, so group commit forms
     * groups): the statements sent, how many were BEGIN, COMMIT and the ledger lock, per request.
     */
    async traceMany({ requests, concurrency }) {
      const kinds = { statements: 0, begin: 0, commit: 0, lock: 0 };
      const onQuery = (q) => {
        kinds.statements += 1;
        const sql = q.sql.trim().toLowerCase();
        if (sql.startsWith('begin')) kinds.begin += 1;
        else if (sql.startsWith('commit')) kinds.commit += 1;
        else if (sql.includes('consent_ledger_heads') && sql.includes('for update')) kinds.lock += 1;
      };
      knex.client.on('query', onQuery);
      const statuses = {};
      try {
        let next = 0;
        const worker = async () => {
          while (next < requests.length) {
            const { method, path: url, body, headers } = requests[next++];
            const res = await fetch(`http://127.0.0.1:${process.env.PORT}${url}`, { method, body, headers });
            await res.arrayBuffer();
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
        return { ...kinds, statuses };
      } finally {
        knex.client.off('query', onQuery);
      }
    },
    async stop() {
      await app.destroy();
      setImmediate(() => process.exit(0));
      return {};
    },
  };

  process.on('message', async ({ id, type, ...args }) => {
    try {
      process.send({ id, ok: true, result: await handlers[type](args) });
    } catch (error) {
      process.send({ id, ok: false, error: String(error?.stack ?? error) });
    }
  });
  process.send({
    ready: true,
    token,
    notices,
    origin: ORIGIN,
    node: process.version,
    env: process.env.NODE_ENV,
    rateLimit: app.config.get('plugin::consent.rateLimit'),
  });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
