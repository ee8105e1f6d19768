/**
 * The client's form logic against a fake server (issue 8): unticked boxes (A2), only an explicit true
 * ticks (A1), one decision per purpose with the notice shown (A4, A9), the 409 re-ask that never
 * resubmits, field errors, and GPC (F1).
 */
import {
  createConsentForm,
  defaultLabels,
  needsParent,
  purposeView,
  readGpc,
  type PublicPurpose,
} from '../../client/src';
import { formDefinition, publicPurpose } from '../harness/public-form';

const HASH = (c: string) => c.repeat(64);

const purpose = (key: string, mechanism: PublicPurpose['mechanism'], version = 1, hash = HASH('a')) =>
  publicPurpose(key, mechanism, { version, hash });
const definition = formDefinition;

type Call = { url: string; init: RequestInit; body: any };

/** A fake server: each call takes the next answer; every request is recorded. */
const fakeServer = (...answers: [number, unknown][]) => {
  const calls: Call[] = [];
  const fetch = async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${url}`);
    const [status, body] = next;
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch, calls };
};

const TWO = definition([purpose('newsletter', 'opt-in'), purpose('partners', 'opt-in', 1, HASH('b'))]);
const CREATED = {
  data: { receipt: { receiptId: 'r1', jws: 'x.y.z' }, states: { newsletter: 'granted', partners: 'refused' } },
};

describe('createConsentForm', () => {
  it('A2: loads the definition with every box unticked', async () => {
    const server = fakeServer([200, { data: TWO }]);
    const form = createConsentForm({
      form: 'demo',
      locale: 'de',
      baseUrl: 'https://cms.test/',
      fetch: server.fetch,
      gpc: false,
    });
    const state = await form.load();
    expect(server.calls[0].url).toBe('https://cms.test/api/consent/forms/demo?locale=de');
    expect(state.status).toBe('ready');
    expect(state.choices).toEqual({ newsletter: false, partners: false });
  });

  it('A1, A4, A9: sends one boolean per purpose, true only for the ticked one, with every notice shown', async () => {
    const server = fakeServer([200, { data: TWO }], [201, CREATED]);
    const form = createConsentForm({
      form: 'demo',
      fetch: server.fetch,
      gpc: false,
      pageUrl: 'https://shop.test/join?x=1',
    });
    await form.load();
    form.setChoice('newsletter', true);
    form.setChoice('partners', 'yes' as unknown as boolean); // anything but an explicit true does not tick
    const state = await form.submit({
      subject: { email: 'ada@example.com', phone: '  ' },
      fields: { firstName: 'Ada' },
    });

    const post = server.calls[1];
    expect(post.url).toBe('/api/consent/submissions');
    expect(post.init.method).toBe('POST');
    expect(post.init.credentials).toBe('omit');
    expect((post.init.headers as Record<string, string>)['Sec-GPC']).toBeUndefined();
    expect(post.body).toEqual({
      form: 'demo',
      locale: 'en',
      subject: { email: 'ada@example.com' },
      choices: { newsletter: true, partners: false },
      notices: { newsletter: { version: 1, hash: HASH('a') }, partners: { version: 1, hash: HASH('b') } },
      context: { url: 'https://shop.test/join?x=1' },
      fields: { firstName: 'Ada' },
    });
    expect(state.status).toBe('submitted');
    expect(state.result?.receipt.receiptId).toBe('r1');
  });

  it('A4, N16: a purpose offered per channel sends one boolean per box, and renders one box per channel', async () => {
    const offers = {
      ...purpose('offers', 'opt-in', 1, HASH('c')),
      channels: ['email', 'sms'],
      boxes: [
        { channel: 'email', label: 'By email' },
        { channel: 'sms', label: 'By text message (SMS)' },
      ],
    } as PublicPurpose;
    const server = fakeServer([200, { data: definition([purpose('newsletter', 'opt-in'), offers]) }], [201, CREATED]);
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: false, pageUrl: null });
    const loaded = await form.load();
    expect(loaded.channelChoices).toEqual({ offers: { email: false, sms: false } });
    const view = purposeView(form.getState(), offers, defaultLabels);
    expect(view.boxes?.map((b) => [b.name, b.label, b.checked])).toEqual([
      ['choices[offers][email]', 'By email', false],
      ['choices[offers][sms]', 'By text message (SMS)', false],
    ]);
    form.setChoice('offers', true, 'sms');
    expect(purposeView(form.getState(), offers, defaultLabels).boxes?.map((b) => b.checked)).toEqual([false, true]);
    await form.submit({ subject: { email: 'ada@example.com', phone: '+33612345678' } });
    expect(server.calls[1].body.choices).toEqual({ newsletter: false, offers: { email: false, sms: true } });
  });

  it('A4: a purpose without a choice (contract) is shown with its notice but gets no box and no choice', async () => {
    const server = fakeServer(
      [200, { data: definition([purpose('orders', 'none'), purpose('postal', 'opt-out')]) }],
      [201, CREATED]
    );
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: false, pageUrl: null });
    await form.load();
    form.setChoice('orders', true);
    form.setChoice('postal', true);
    await form.submit({ subject: { email: 'ada@example.com' } });
    expect(server.calls[1].body.choices).toEqual({ postal: true });
    expect(Object.keys(server.calls[1].body.notices)).toEqual(['orders', 'postal']);
    expect(server.calls[1].body.context).toBeUndefined();
  });

  it('A9: a 409 NoticeOutdated shows the new text, clears only that choice and never resubmits', async () => {
    const newer = definition([
      purpose('newsletter', 'opt-in', 2, HASH('c')),
      purpose('partners', 'opt-in', 1, HASH('b')),
    ]);
    const outdated = {
      data: null,
      error: {
        status: 409,
        name: 'NoticeOutdated',
        message: 'changed',
        details: {
          outdated: [
            {
              purpose: 'newsletter',
              shown: { version: 1, hash: HASH('a') },
              current: { id: 2, version: 2, hash: HASH('c'), locale: 'en' },
            },
          ],
        },
      },
    };
    const server = fakeServer([200, { data: TWO }], [409, outdated], [200, { data: newer }]);
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: false });
    await form.load();
    form.setChoice('newsletter', true);
    form.setChoice('partners', true);
    const seen: string[] = [];
    form.subscribe((s) => seen.push(s.status));
    const state = await form.submit({ subject: { email: 'ada@example.com' } });

    expect(state.status).toBe('notices-changed');
    expect(state.changed).toEqual(['newsletter']);
    expect(state.definition?.purposes[0].notice.title).toBe('newsletter v2');
    expect(state.choices).toEqual({ newsletter: false, partners: true });
    // GET, POST, GET: the refetch and nothing else.
    expect(server.calls.map((c) => c.init.method ?? 'GET')).toEqual(['GET', 'POST', 'GET']);
    expect(seen).toEqual(['submitting', 'notices-changed']);
  });

  it('A9: after the re-ask the next submission carries the new notice version', async () => {
    const newer = definition([
      purpose('newsletter', 'opt-in', 2, HASH('c')),
      purpose('partners', 'opt-in', 1, HASH('b')),
    ]);
    const server = fakeServer(
      [200, { data: TWO }],
      [
        409,
        {
          data: null,
          error: {
            status: 409,
            name: 'NoticeOutdated',
            message: 'm',
            details: { outdated: [{ purpose: 'newsletter' }] },
          },
        },
      ],
      [200, { data: newer }],
      [201, CREATED]
    );
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: false });
    await form.load();
    form.setChoice('newsletter', true);
    await form.submit({ subject: { email: 'ada@example.com' } });
    form.setChoice('newsletter', true);
    const state = await form.submit({ subject: { email: 'ada@example.com' } });
    expect(server.calls[3].body.notices.newsletter).toEqual({ version: 2, hash: HASH('c') });
    expect(state.status).toBe('submitted');
    expect(state.changed).toEqual([]);
  });

  it('surfaces a 400 per field and clears a choice error once the box is used', async () => {
    const invalid = {
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message: '2 errors',
        details: {
          errors: [
            { path: ['subject', 'email'], message: 'subject.email must be a valid email' },
            { path: 'choices.partners', message: 'choices.partners must be true or false' },
          ],
        },
      },
    };
    const server = fakeServer([200, { data: TWO }], [400, invalid]);
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: false });
    await form.load();
    const state = await form.submit({ subject: { email: 'nope' } });
    expect(state.status).toBe('invalid');
    expect(state.fieldErrors).toEqual({
      'subject.email': 'subject.email must be a valid email',
      'choices.partners': 'choices.partners must be true or false',
    });
    form.setChoice('partners', false);
    expect(form.getState().fieldErrors).toEqual({ 'subject.email': 'subject.email must be a valid email' });
  });

  it('reports other refusals and network failures as errors with their name', async () => {
    const server = fakeServer(
      [200, { data: TWO }],
      [429, { data: null, error: { status: 429, name: 'RateLimitError', message: 'slow down', details: {} } }]
    );
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: false });
    await form.load();
    const state = await form.submit({ subject: { email: 'ada@example.com' } });
    expect(state.status).toBe('error');
    expect(state.error).toMatchObject({ status: 429, name: 'RateLimitError', message: 'slow down' });

    const offline = createConsentForm({
      form: 'demo',
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      gpc: false,
    });
    expect((await offline.load()).error).toMatchObject({ status: 0, name: 'NetworkError' });
  });

  it('sends one request for a double click on submit', async () => {
    const server = fakeServer([200, { data: TWO }], [201, CREATED]);
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: false });
    await form.load();
    await Promise.all([
      form.submit({ subject: { email: 'a@example.com' } }),
      form.submit({ subject: { email: 'a@example.com' } }),
    ]);
    expect(server.calls).toHaveLength(2);
  });

  it('F1: with GPC on, the state says so and the request carries Sec-GPC: 1', async () => {
    const server = fakeServer([200, { data: TWO }], [201, CREATED]);
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: true });
    await form.load();
    expect(form.getState().gpc).toBe(true);
    await form.submit({ subject: { email: 'ada@example.com' } });
    expect((server.calls[1].init.headers as Record<string, string>)['Sec-GPC']).toBe('1');
  });
});

describe('G1, G2: a form offered to children', () => {
  const KIDS = { ...definition([purpose('newsletter', 'opt-in')]), ageQuestion: { threshold: 15, country: 'FR' } };

  it('G1: sends the age as a number; G2: the parent address only below the threshold', async () => {
    const server = fakeServer([200, { data: KIDS }], [201, CREATED], [201, CREATED]);
    const form = createConsentForm({ form: 'kids', fetch: server.fetch, gpc: false, pageUrl: null });
    await form.load();
    expect(needsParent(form.getState())).toBe(false);
    form.setChoice('newsletter', true);
    form.setAge(' 12 ');
    form.setParentEmail('parent@example.com');
    expect(needsParent(form.getState())).toBe(true);
    await form.submit({ subject: { email: 'kid@example.com' } });
    expect(server.calls[1].body).toMatchObject({ age: 12, parentEmail: 'parent@example.com' });

    form.setAge('15');
    expect(needsParent(form.getState())).toBe(false);
    await form.submit({ subject: { email: 'kid@example.com' } });
    expect(server.calls[2].body.age).toBe(15);
    expect(server.calls[2].body.parentEmail).toBeUndefined();
  });

  it('G1: an age that is not a number is sent as typed, and the 400 naming it is shown on the field', async () => {
    const refused = {
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message: 'age must be a number',
        details: { errors: [{ path: ['age'], message: 'age must be a number' }] },
      },
    };
    const server = fakeServer([200, { data: KIDS }], [400, refused]);
    const form = createConsentForm({ form: 'kids', fetch: server.fetch, gpc: false, pageUrl: null });
    await form.load();
    form.setAge('twelve');
    const state = await form.submit({ subject: { email: 'kid@example.com' } });
    expect(server.calls[1].body.age).toBe('twelve');
    expect(state.fieldErrors.age).toBe('age must be a number');
    form.setAge('12');
    expect(form.getState().fieldErrors.age).toBeUndefined();
    // Typing on keeps the same errors object: the renderer does not rebuild the fields (focus stays).
    const errors = form.getState().fieldErrors;
    form.setAge('13');
    expect(form.getState().fieldErrors).toBe(errors);
  });

  it('G1: a form not offered to children sends no age', async () => {
    const server = fakeServer([200, { data: TWO }], [201, CREATED]);
    const form = createConsentForm({ form: 'demo', fetch: server.fetch, gpc: false, pageUrl: null });
    await form.load();
    form.setAge('12');
    await form.submit({ subject: { email: 'ada@example.com' } });
    expect(server.calls[1].body.age).toBeUndefined();
  });
});

describe('readGpc', () => {
  it('F1: only navigator.globalPrivacyControl === true counts', () => {
    expect(readGpc({ globalPrivacyControl: true })).toBe(true);
    for (const value of [false, 1, '1', 'true', undefined, null])
      expect(readGpc({ globalPrivacyControl: value })).toBe(false);
    expect(readGpc(undefined)).toBe(false);
  });
});
