/**
 * Shutdown (issue 20 part 4): SIGTERM, SIGINT or `strapi.destroy()` drains the plugin's work. Requests
 * admitted before the shutdown finish and are stored; new ones get a 503 with `Retry-After` before
 * anything is written; submissions queued in the group commit are committed. Under load, in a child
 * process stopped with a real SIGTERM: every submission answered 201 is in the ledger afterwards, every
 * other one got a 503 or no answer, the chain verifies and the states equal the replay (spec 3).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { TABLE } from '../../server/src/constants';
import { startChildInstance } from '../harness/child-instance';
import { setupForm, shownNotices, type Notices } from '../harness/consent-setup';
import { createTestDatabase } from '../harness/database';
import { expectStatesEqualReplay, replayThenStop } from '../harness/ledger-replay';
import { bootStrapi, type TestStrapi } from '../harness/strapi';

const submission = (notices: Notices, email: string) => ({
  form: 'signup',
  subject: { email },
  choices: { newsletter: true, partners: false },
  notices,
});

const eventsOf = async (app: TestStrapi, receiptId: string) =>
  Number(
    (
      (await app.strapi.db.connection(TABLE.event).where({ receipt_id: receiptId }).count({ n: '*' })) as {
        n: number;
      }[]
    )[0].n
  );

/** Waits (turn by turn, no fixed delay) until `condition` holds. */
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('draining on destroy', () => {
  let app: TestStrapi;
  let notices: Notices;

  beforeAll(async () => {
    app = await bootStrapi();
    notices = shownNotices(await setupForm(app.strapi, ['newsletter', 'partners']));
  });
  afterAll(() => replayThenStop(app));

  it('finishes the request admitted before the shutdown, refuses new ones with 503 and Retry-After, writes nothing for them', async () => {
    const { httpServer } = app.strapi.server;
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const { port } = httpServer.address() as AddressInfo;
    const shutdown = app.strapi.plugin('consent').service('shutdown');

    // A submission whose body is still arriving: admitted, not yet recorded.
    const body = JSON.stringify(submission(notices, 'early@example.com'));
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    const answered = new Promise<void>((resolve) => socket.on('end', resolve));
    socket.write(
      `POST /api/consent/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 20)}`
    );
    await until(() => shutdown.inFlight() === 1);

    const drained = shutdown.drain();
    expect(shutdown.isClosing()).toBe(true);

    const refused = await app.http().post('/api/consent/submissions').send(submission(notices, 'late@example.com'));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body.error).toMatchObject({ status: 503, name: 'ServiceUnavailableError' });
    // The admin's routes too: the shutdown takes no new work of any kind.
    expect((await app.http().get('/consent/purposes')).status).toBe(503);

    socket.write(body.slice(20));
    await answered;
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    const receiptId = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).data.receipt.receiptId;
    await drained;

    expect(await eventsOf(app, receiptId)).toBeGreaterThan(0);
    const emails = (await app.strapi.db.connection(TABLE.subject).select('email')).map(
      (r: { email: string }) => r.email
    );
    expect(emails).toEqual(['early@example.com']);
  });

  it("a submission reaching the closed group commit is refused whole (503), and so is the form hook's route", async () => {
    const capture = app.strapi.plugin('consent').service('capture');
    const plan = await capture.prepare(submission(notices, 'queued@example.com'), { ownOrigins: [], gpc: false });
    await expect(capture.commit(plan)).rejects.toMatchObject({ status: 503, name: 'ServiceUnavailableError' });

    const hooked = await app
      .http()
      .post('/api/contact-requests')
      .send({
        data: { name: 'Q', email: 'queued@example.com', message: 'hi' },
        consent: submission(notices, 'queued@example.com'),
      });
    expect(hooked.status).toBe(503);
    expect(hooked.headers['retry-after']).toBe('5');
    expect(await app.strapi.db.connection('contact_requests')).toHaveLength(0);
    expect(await app.strapi.db.connection(TABLE.subject).where({ email: 'queued@example.com' })).toHaveLength(0);
  });
});

describe('SIGTERM under load', () => {
  interface Outcome {
    email: string;
    /** 0: no answer (the connection was closed or refused). */
    status: number;
    retryAfter?: string | null;
    receiptId?: string;
  }

  it('every submission answered 201 is stored; the others got 503 or no answer; the chain verifies and states equal the replay', async () => {
    const database = await createTestDatabase();
    let app: TestStrapi | undefined;
    try {
      // The form, made by an in-process instance that stops before the child starts (SQLite has one writer process).
      const setup = await bootStrapi({ database });
      const notices = shownNotices(await setupForm(setup.strapi, ['newsletter', 'partners']));
      await setup.stop();

      const child = await startChildInstance(database, { listen: true });
      const url = `http://127.0.0.1:${child.port}/api/consent/submissions`;
      const outcomes: Outcome[] = [];
      let accepted = 0;
      let signalled = false;
      const SIGNAL_AFTER = 40;

      // Eight clients submit one after the other until they are refused or the server is gone.
      const client = async (c: number) => {
        for (let i = 0; ; i++) {
          const email = `client${c}-${i}@example.com`;
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(submission(notices, email)),
            });
            const body = (await res.json().catch(() => null)) as { data?: { receipt?: { receiptId?: string } } } | null;
            outcomes.push({
              email,
              status: res.status,
              retryAfter: res.headers.get('retry-after'),
              receiptId: body?.data?.receipt?.receiptId,
            });
            if (res.status !== 201) return;
            accepted += 1;
            if (accepted >= SIGNAL_AFTER && !signalled) {
              signalled = true;
              child.signal('SIGTERM');
            }
          } catch {
            outcomes.push({ email, status: 0 });
            return;
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
      // Strapi's SIGTERM handler: destroy (the plugin drains first), then exit 0.
      expect(await child.exited).toBe(0);

      app = await bootStrapi({ database });
      const ok = outcomes.filter((o) => o.status === 201);
      expect(ok.length).toBeGreaterThanOrEqual(SIGNAL_AFTER);
      // Nothing but stored (201), refused during the drain (503 with Retry-After) or unanswered.
      expect(outcomes.filter((o) => ![201, 503, 0].includes(o.status))).toEqual([]);
      for (const refused of outcomes.filter((o) => o.status === 503)) expect(refused.retryAfter).toBe('5');
      for (const o of ok) expect(await eventsOf(app, o.receiptId!)).toBe(2);

      // The requests in flight at the signal were finished and answered, not cut off: every submission
      // stored was answered 201 (without the drain, some are committed and their connection dropped).
      const subjects = await app.strapi.db.connection(TABLE.subject).select('email', 'pseudonym');
      expect(subjects.map((s: { email: string }) => s.email).sort()).toEqual(ok.map((o) => o.email).sort());
      // Never half-written: every person stored has their receipt and both events.
      const receipts = await app.strapi.db.connection(TABLE.receipt).select('subject');
      const events = await app.strapi.db.connection(TABLE.event).select('subject');
      for (const { pseudonym } of subjects) {
        expect(receipts.filter((r: { subject: string }) => r.subject === pseudonym)).toHaveLength(1);
        expect(events.filter((e: { subject: string }) => e.subject === pseudonym)).toHaveLength(2);
      }
      const refusedEmails = new Set(outcomes.filter((o) => o.status === 503).map((o) => o.email));
      expect(subjects.filter((s: { email: string }) => refusedEmails.has(s.email))).toEqual([]);

      expect(await app.strapi.plugin('consent').service('ledger').verify()).toMatchObject({
        ok: true,
        firstBadEvent: null,
      });
      await expectStatesEqualReplay(app.strapi);
    } finally {
      await app?.stop();
      await database.drop();
    }
  });
});
