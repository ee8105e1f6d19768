import type { Core } from '@strapi/strapi';
import type { ConsentState } from '../../../shared/contracts/domain';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, TABLE, UID } from '../constants';
import type { TableWrite } from '../database/write-all';
import { requestContext } from '../domain/request-context';
import { tokenHash } from '../domain/tokens';
import { confirmedByPhoneVerification } from '../domain/phone-verification';
import { awaitsParent } from '../domain/children-rules';
import { GoneError } from '../errors';
import type { CreatePhoneVerification } from '../../../shared/contracts/phone-verifications';
import { getService } from '../utils/get-service';
import { sendPluginMail } from '../utils/plugin-mail';
import type { CaptureRequest } from './capture';
import type { NewEvent } from './ledger';
import { linkRequests, pendingRequests, type LinkRequestRow } from './link-requests';
import { identifiersOf } from './subjects';

/** One purpose asked for in a confirmation request, with the notice the person was shown (B3). */
export interface RequestedPurpose {
  purpose: string;
  noticeId: number | null;
  noticeVersion: number | null;
  noticeHash: string | null;
  noticeLanguage: string | null;
}

interface ConfirmationRow extends LinkRequestRow {
  purposes: RequestedPurpose[];
}

export interface ConfirmOutcome {
  status: 'confirmed' | 'already-confirmed';
  language: string;
  /** `name`: the title the person saw on the form (the notice agreed to), else the purpose's name in their language. */
  purposes: { key: string; name: string; state: ConsentState }[];
  /** The person's preference centre, where what was just confirmed can be changed (D5). */
  preferencesUrl: string;
}

/** A new token and its row, to be mailed once the transaction that created them has committed. */
export interface PendingMail {
  token: string;
  email: string;
  language: string;
  purposes: string[];
}

/** Who and what a confirmation request is for: the `requested` purposes of one submission. */
export interface ConfirmationInput {
  subject: string;
  receiptId: string;
  formKey: string | null;
  language: string;
  purposes: RequestedPurpose[];
  now?: Date;
}

/**
 * Email double opt-in (B1–B6). A submission that asks for a double opt-in purpose leaves it `pending` and
 * creates a confirmation request here; the mail carries a signed token bound to the person, the purposes
 * and the request, stored only as a hash. Opening the link shows a page and changes nothing (mail scanners
 * follow links); only the POST of its button confirms, and only the email channel (B5).
 */
const confirmations = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
  const linkRequest = linkRequests<ConfirmationRow>(strapi, {
    uid: UID.confirmation,
    use: 'confirm',
    purged: 'This confirmation link has expired and the request was deleted. Please sign up again.',
    deleted: 'This confirmation request was deleted. Please sign up again.',
    method: 'double-opt-in',
  });
  const { query, load, titlesOf } = linkRequest;

  const purposeNames = (keys: string[], language: string) => getService('purposes').namesIn(keys, language);

  return {
    /** A person's double opt-in requests as stored, oldest first (the person's export, H1). */
    async ofSubject(subject: string): Promise<Record<string, unknown>[]> {
      return query().findMany({ where: { subject }, orderBy: { requestedAt: 'asc' } });
    },

    /** Erasure (rights.erase, in its transaction): the person's double opt-in requests go. */
    async eraseFor(subject: string) {
      await query().deleteMany({ where: { subject } });
    },

    /**
     * A confirmation request for the `requested` purposes of a submission: the token, whose hash the
     * `requested` events carry as evidence, and the request's row for the submission's group write.
     */
    issue(input: ConfirmationInput): { token: string; tokenHash: string; expiresAt: Date; write: TableWrite } {
      const { row, ...issued } = linkRequest.issue(input, config().doubleOptIn.tokenTtlSeconds);
      return { ...issued, write: { table: TABLE.confirmation, insert: [row] } };
    },

    /** A new confirmation request for these purposes, written now (a resent mail), with its token. */
    async create(input: ConfirmationInput): Promise<{ token: string; tokenHash: string; expiresAt: Date }> {
      return linkRequest.create(input, config().doubleOptIn.tokenTtlSeconds);
    },

    /**
     * Sends the confirmation mail through Strapi's email plugin (any provider the site configured) and
     * records when it went out. A failed send is logged, not thrown: the request stands and can be resent.
     */
    async send(mail: PendingMail): Promise<boolean> {
      const cfg = config();
      // The titles the form showed, from the notices the request recorded (else the purposes' names).
      const row: ConfirmationRow | null = await query().findOne({ where: { tokenHash: tokenHash(mail.token) } });
      const requested = row?.purposes.filter((p) => mail.purposes.includes(p.purpose)) ?? [];
      const sent = await sendPluginMail(strapi, {
        template: 'confirmation',
        to: mail.email,
        language: mail.language,
        about: 'the confirmation mail',
        values: async (language) => ({
          link: `${getService('settings').publicUrl()}/api/consent/confirm/${mail.token}`,
          purposes: (requested.length
            ? await titlesOf(requested, language)
            : await purposeNames(mail.purposes, language)
          )
            .map((n) => `- ${n}`)
            .join('\n'),
          expiresHours: String(Math.round(cfg.doubleOptIn.tokenTtlSeconds / 3600)),
        }),
      });
      if (!sent) return false;
      await query().update({ where: { tokenHash: tokenHash(mail.token) }, data: { mailSentAt: new Date() } });
      return true;
    },

    /** What the confirmation page shows; changes nothing (GET). */
    async describe(token: string) {
      const { row, expired } = await load(token);
      const language = row.language ?? 'en';
      return {
        language,
        expired,
        confirmed: !!row.confirmedAt,
        purposes: await titlesOf(row.purposes, language),
        preferencesUrl: getService('links').preferences(row.subject),
      };
    },

    /**
     * A verified phone number (`POST /api/consent/phone-verifications`; B5, N16, C8): a `confirmed` event
     * (state `granted`, method `api`) on every phone/SMS consent of the person still pending, carrying the
     * verification (method, reference, time) and the notice of the request it confirms. Which states it
     * confirms is the domain's (phone-verification.ts). Idempotent: nothing pending, nothing written; an
     * unknown number gets the same empty answer.
     */
    async verifyPhone(
      body: CreatePhoneVerification.Request['body']
    ): Promise<CreatePhoneVerification.Response['data']> {
      const subjects = getService('subjects');
      const identifiers = subjects.normalise({ phone: body.subject.phone }, 'subject');
      const verifiedAt = body.occurredAt ? new Date(body.occurredAt) : new Date();
      return strapi.db.transaction(async () => {
        await getService('ledger').lock();
        const subject = await subjects.find(identifiers);
        if (!subject || !subject.phone) return { confirmed: [] };
        const candidates = confirmedByPhoneVerification(await pendingRequests(strapi, { subject: subject.pseudonym }));
        // A child's request waits for a parent (G2): a verified number does not grant it.
        const pending = candidates.filter((s) => !awaitsParent(s.evidence));
        if (pending.length === 0) return { confirmed: [] };
        const purposes = await getService('purposes').byKeys([...new Set(pending.map((s) => s.purpose))]);
        const events: NewEvent[] = pending.map(({ purpose, channel, request }) => {
          return {
            subject: subject.pseudonym,
            purpose,
            channel,
            action: 'confirmed',
            state: 'granted',
            method: 'api',
            legalBasis: purposes.get(purpose)?.legalBasis ?? 'consent',
            actor: 'api',
            noticeId: (request?.noticeId as number | null) ?? null,
            noticeVersion: (request?.noticeVersion as number | null) ?? null,
            noticeHash: (request?.noticeHash as string | null) ?? null,
            noticeLanguage: (request?.noticeLanguage as string | null) ?? null,
            formKey: (request?.formKey as string | null) ?? null,
            evidence: {
              verification: { method: body.method, reference: body.reference, verifiedAt: verifiedAt.toISOString() },
            },
            receiptId: (request?.receiptId as string | null) ?? null,
            lifetimeDays: purposes.get(purpose)?.lifetimeDays ?? null,
          };
        });
        await getService('ledger').append(
          events,
          new Map([[subject.pseudonym, { identifiers: identifiersOf(subject), created: false }]])
        );
        return { confirmed: pending.map((s) => ({ purpose: s.purpose, channel: s.channel })) };
      });
    },

    /**
     * Confirms a pending request: a `confirmed` event (state `granted`, method `double-opt-in`) on the
     * email channel of every purpose still pending, carrying the request, mail and confirmation times,
     * the token hash and the notice agreed to (B3). Idempotent: a second confirmation changes nothing.
     */
    async confirm(token: string, request: CaptureRequest): Promise<ConfirmOutcome> {
      const { row: first, status: result } = await linkRequest.confirmOnce(
        token,
        { message: 'This confirmation link has expired. You can ask for a new one.', resend: true },
        async (row, confirmedAt, purposes) => {
          // A child's request that waits for a parent (G2) is not this link's to confirm.
          const open = new Set(
            (
              await pendingRequests(strapi, {
                subject: row.subject,
                channel: 'email',
                purposes: row.purposes.map((p) => p.purpose),
              })
            )
              .filter((s) => !awaitsParent(s.evidence))
              .map((s) => s.purpose)
          );
          const context = requestContext(request, config().ipStorage);
          const events: NewEvent[] = row.purposes
            .filter((p) => open.has(p.purpose))
            .map((p) => ({
              subject: row.subject,
              purpose: p.purpose,
              channel: 'email',
              action: 'confirmed',
              state: 'granted',
              method: 'double-opt-in',
              legalBasis: purposes.get(p.purpose)?.legalBasis ?? 'consent',
              actor: 'subject',
              ...linkRequest.noticeOf(p),
              formKey: row.formKey,
              context: { ...context },
              evidence: {
                doubleOptIn: linkRequest.linkEvidence(row, confirmedAt),
              },
              receiptId: row.receiptId,
              lifetimeDays: purposes.get(p.purpose)?.lifetimeDays ?? null,
              occurredAt: confirmedAt,
            }));
          return { events, update: {} };
        }
      );

      const language = first.language ?? 'en';
      const keys = first.purposes.map((p) => p.purpose);
      const names = await titlesOf(first.purposes, language);
      const states = await getService('ledger').statesOf(first.subject, { channel: 'email', purposes: keys });
      return {
        status: result,
        language,
        purposes: keys.map((k, i) => ({
          key: k,
          name: names[i],
          state: (states.find((s: { purpose: string }) => s.purpose === k)?.state ?? 'none') as ConsentState,
        })),
        preferencesUrl: getService('links').preferences(first.subject),
      };
    },

    /**
     * A new confirmation mail for the request behind a (possibly expired) link. Throttled per address
     * (`doubleOptIn.resendAfterSeconds`, B6); nothing is sent for a request already confirmed or whose
     * purposes are no longer pending.
     */
    async resend(token: string): Promise<{ sent: boolean; language: string | null }> {
      const { row } = await load(token).catch((error) => {
        if (error instanceof GoneError) return { row: null as ConfirmationRow | null, expired: true };
        throw error;
      });
      if (!row) return { sent: false, language: null };
      const language = row.language;
      if (row.confirmedAt) return { sent: false, language };
      const subject = await getService('subjects').byPseudonym(row.subject);
      if (!subject?.email) return { sent: false, language };
      await this.throttle(subject.email);
      const still = await getService('ledger').statesOf(row.subject, {
        channel: 'email',
        state: 'pending',
        purposes: row.purposes.map((p) => p.purpose),
      });
      const purposes = row.purposes.filter((p) => still.some((s: { purpose: string }) => s.purpose === p.purpose));
      if (purposes.length === 0) return { sent: false, language };
      const created = await this.create({
        subject: row.subject,
        receiptId: row.receiptId ?? '',
        formKey: row.formKey,
        language: row.language ?? 'en',
        purposes,
      });
      return {
        language,
        sent: await this.send({
          token: created.token,
          email: subject.email,
          language: row.language ?? 'en',
          purposes: purposes.map((p) => p.purpose),
        }),
      };
    },

    /** One confirmation mail per address per `resendAfterSeconds`, counted like the rate limits. */
    async throttle(email: string) {
      const seconds = config().doubleOptIn.resendAfterSeconds;
      if (seconds <= 0) return;
      await getService('rate-limits').window(
        'confirmation-mail',
        getService('subjects').hash('email', email),
        1,
        seconds
      );
    },

    /**
     * The retention job (B4): requests unconfirmed after `pendingTtlDays` expire. Their pending states
     * become `expired` in the ledger, the request rows are deleted, and a person left with nothing to honour
     * (no grant, no pending request, no objection or withdrawal) loses the unverified address. Safe to run
     * on several instances at once and to run again: each request is handled under the ledger lock and
     * re-read there.
     */
    async expirePending(now = new Date()): Promise<{ expired: number; requests: number }> {
      const cutoff = new Date(now.getTime() - config().doubleOptIn.pendingTtlDays * 86_400_000);
      return linkRequest.expire({
        now,
        where: { requestedAt: { $lt: cutoff } },
        reason: 'not-confirmed',
        pending: async (row) => {
          const newer = await query().count({
            where: { subject: row.subject, confirmedAt: { $null: true }, requestedAt: { $gte: cutoff } },
          });
          if (newer) return [];
          // The email requests only: a number waiting for verification is not the mail's (B5, N16).
          return getService('ledger').statesOf(row.subject, {
            channel: 'email',
            state: 'pending',
            purposes: row.purposes.map((p) => p.purpose),
          });
        },
      });
    },
  };
};

export default confirmations;
export type ConfirmationsService = ReturnType<typeof confirmations>;
