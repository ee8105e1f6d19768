import type { Core } from '@strapi/strapi';
import type { PurposeInput } from '../../shared/contracts/purposes';
import type { FormInput } from '../../shared/contracts/forms';
import type { TestStrapi } from './strapi';

/**
 * Editor content for capture tests, created through the plugin's own services (as an editor would in
 * the admin): purposes, one published notice per purpose and language, and a form offering them.
 */
export const PURPOSES: Record<string, PurposeInput> = {
  newsletter: {
    key: 'newsletter',
    name: 'Newsletter',
    legalBasis: 'consent',
    channels: ['email'],
    honorGpc: true,
    lifetimeDays: 365,
  },
  partners: { key: 'partners', name: 'Partner offers', legalBasis: 'consent', channels: ['email'] },
  doi: { key: 'doi', name: 'Weekly digest', legalBasis: 'consent', channels: ['email'], doubleOptIn: true },
  postal: {
    key: 'postal',
    name: 'Catalogue by post',
    legalBasis: 'legitimate-interest',
    balancingTest: 'LIA-2026-01',
    channels: ['postal'],
  },
  sms: { key: 'sms', name: 'Text offers', legalBasis: 'consent', channels: ['sms', 'phone'] },
  service: { key: 'service', name: 'Service messages', legalBasis: 'contract', channels: ['email'] },
};

const service = (strapi: Core.Strapi, name: string) => strapi.plugin('consent').service(name);

export const publishNotice = async (
  strapi: Core.Strapi,
  purpose: string,
  locale = 'en',
  title = `About ${purpose}`,
  over: Record<string, unknown> = {}
) => {
  const draft = await service(strapi, 'notices').createDraft({
    purpose,
    locale,
    title,
    body: `We use your data for ${purpose}.`,
    dataCategories: ['email address'],
    recipients: purpose === 'partners' ? ['Partner GmbH'] : [],
    privacyPolicyUrl: 'https://shop.example/privacy',
    ...over,
  });
  return service(strapi, 'notices').publish(draft.id);
};

/**
 * Creates the form (`signup` unless `form` names another) offering `purposes`: keys of PURPOSES, or a
 * file's own purpose. Each purpose not there yet is created with an English notice, published.
 */
export const setupForm = async (
  strapi: Core.Strapi,
  purposes: (keyof typeof PURPOSES | PurposeInput)[] = ['newsletter', 'partners', 'postal'],
  form: Partial<FormInput> = {}
) => {
  const keys = purposes.map((p) => (typeof p === 'string' ? p : p.key));
  for (const purpose of purposes) {
    const key = typeof purpose === 'string' ? purpose : purpose.key;
    if ((await service(strapi, 'purposes').byKeys([key])).get(key)) continue;
    // A key the file created itself before (not in PURPOSES) is taken as it stands, as it always was.
    const input = typeof purpose === 'string' ? PURPOSES[purpose] : purpose;
    await service(strapi, 'purposes').create(input);
    await publishNotice(strapi, key);
  }
  const input: FormInput = {
    key: 'signup',
    name: 'Sign-up',
    purposes: keys,
    allowedOrigins: ['https://shop.example'],
    successUrl: 'https://shop.example/thanks',
    ...form,
  };
  await service(strapi, 'forms').create(input);
  return service(strapi, 'forms').definition(input.key, 'en');
};

/** `notices` as a front end sends them: the version and hash of every purpose it displayed. */
export const shownNotices = (definition: { purposes: { key: string; notice: { version: number; hash: string } }[] }) =>
  Object.fromEntries(definition.purposes.map((p) => [p.key, { version: p.notice.version, hash: p.notice.hash }]));

export const rowCounts = async (strapi: Core.Strapi) => {
  const knex = strapi.db.connection;
  const count = async (table: string) => Number(((await knex(table).count({ n: '*' })) as { n: number }[])[0].n);
  return {
    events: await count('consent_events'),
    states: await count('consent_states'),
    subjects: await count('consent_subjects'),
    receipts: await count('consent_receipts'),
  };
};

export type Notices = Record<string, { version: number; hash: string }>;

/** The allowed origin of the `signup` form that `setupForm` creates. */
export const FORM_ORIGIN = 'https://shop.example';

export interface SubmissionResult {
  receipt: { piiPrincipalId: string; receiptId: string; jws: string };
  states: Record<string, string>;
}

/**
 * Posts a submission as the `signup` form's front end does, showing the notice of every purpose it
 * decides on (or of `displayed`); throws unless it is recorded (201), so a fixture never fails silently.
 */
export const submitConsent = async (
  app: TestStrapi,
  subject: Record<string, string>,
  choices: Record<string, boolean>,
  shown: Notices,
  { headers = {}, displayed = Object.keys(choices) }: { headers?: Record<string, string>; displayed?: string[] } = {}
): Promise<SubmissionResult> => {
  const res = await app
    .http()
    .post('/api/consent/submissions')
    .set({ Origin: FORM_ORIGIN, ...headers })
    .send({
      form: 'signup',
      locale: 'en',
      subject,
      choices,
      notices: Object.fromEntries(displayed.map((k) => [k, shown[k]])),
    });
  if (res.status !== 201) throw new Error(`submission failed (${res.status}): ${JSON.stringify(res.body)}`);
  return res.body.data;
};

/**
 * `POST /api/consent/submissions` from the form's origin, as it is: for the tests about what the route
 * refuses (submitConsent is for the fixtures that must be recorded).
 */
export const postSubmission = (app: TestStrapi, body: Record<string, unknown>) =>
  app.http().post('/api/consent/submissions').set('Origin', FORM_ORIGIN).send(body);

/** `POST /api/contact-requests`: the playground's contact form, with the consent form hook, from the form's origin. */
export const postContactRequest = (
  app: TestStrapi,
  body: { data: Record<string, unknown>; consent: Record<string, unknown>; [extra: string]: unknown }
) => app.http().post('/api/contact-requests').set('Origin', FORM_ORIGIN).send(body);

/** `POST /api/consent/withdrawals` for an email, expecting it accepted. */
export const withdrawConsent = (app: TestStrapi, email: string, purposes: string[] | 'all') =>
  app.http().post('/api/consent/withdrawals').send({ subject: { email }, purposes }).expect(202);

/** A `consent_subjects` row's identifier columns once erased: values and keyed hashes all gone (I1). */
export const ERASED_IDENTIFIERS = {
  email: null,
  email_hash: null,
  phone: null,
  phone_hash: null,
  external_id: null,
  external_id_hash: null,
};
