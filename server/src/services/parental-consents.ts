import type { Core } from '@strapi/strapi';
import type { Channel, ConsentState } from '../../../shared/contracts/domain';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, TABLE, UID } from '../constants';
import type { TableWrite } from '../database/write-all';
import { awaitsParent, PARENT_ACTOR, PARENTAL_VERIFICATION } from '../domain/children-rules';
import { requestContext } from '../domain/request-context';
import { tokenHash } from '../domain/tokens';
import { getService } from '../utils/get-service';
import { sendPluginMail } from '../utils/plugin-mail';
import type { CaptureRequest } from './capture';
import type { NewEvent } from './ledger';
import { linkRequests, pendingRequests, type LinkRequestRow } from './link-requests';

/** One purpose a child asked for, with the channels left pending and the notice shown (B3, G2). */
export interface ParentalPurpose {
  purpose: string;
  channels: Channel[];
  noticeId: number | null;
  noticeVersion: number | null;
  noticeHash: string | null;
  noticeLanguage: string | null;
}

interface ParentalRow extends LinkRequestRow {
  purposes: ParentalPurpose[];
  parentEmail: string | null;
  parentEmailHash: string;
  threshold: number;
  country: string | null;
}

/** The mail to a parent, sent once the submission that created the request has committed. */
export interface ParentalMail {
  token: string;
  email: string;
  language: string;
  purposes: string[];
}

export interface ParentalOutcome {
  status: 'confirmed' | 'already-confirmed';
  language: string;
  purposes: { key: string; name: string; state: ConsentState }[];
}

/**
 * Parental consent (G2, G4): a child below the age of digital consent ticks, the consent stays `pending`,
 * and this mails the address the child gave for a holder of parental responsibility. Opening the link
 * changes nothing; the page's button records a `confirmed` event (state `granted`, method `link`, actor
 * `parent`) on every channel still pending, whose evidence says how parental responsibility was checked
 * (`kind: 'parental-confirmation'`, the keyed hash of the address the mail went to, the request, mail and
 * confirmation times). The child's own `requested` event stays on the ledger beside it, so both parties'
 * acts are on record (G3). Owner of `consent_parental_consents`; events go through the ledger service.
 */
const parentalConsents = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;
  const linkRequest = linkRequests<ParentalRow>(strapi, {
    uid: UID.parentalConsent,
    use: 'parental',
    purged: 'This link has expired and the request was deleted.',
    deleted: 'This request was deleted.',
    method: 'link',
  });
  const { query, load, titlesOf: titles } = linkRequest;

  /**
   * The child's consents this request still holds: pending, and left pending by this very request (its
   * token in the requesting event's evidence). A newer request to another parent, or a double opt-in
   * waiting for the child's own click, is not this parent's to answer or to expire.
   */
  const heldBy = async (row: ParentalRow) =>
    (await pendingRequests(strapi, { subject: row.subject, purposes: row.purposes.map((p) => p.purpose) })).filter(
      (s) =>
        awaitsParent(s.evidence) &&
        (s.evidence?.parentalConsent as { tokenHash?: string } | undefined)?.tokenHash === row.tokenHash
    );

  return {
    /** The request's token and its row, for the submission's group write. */
    issue(input: {
      subject: string;
      receiptId: string;
      formKey: string;
      language: string;
      purposes: ParentalPurpose[];
      parentEmail: string;
      threshold: number;
      country: string | null;
      now?: Date;
    }): { token: string; tokenHash: string; parentEmailHash: string; expiresAt: Date; write: TableWrite } {
      const parentEmailHash = getService('subjects').hash('email', input.parentEmail);
      const { subject, receiptId, formKey, language, purposes, now } = input;
      const { row, ...issued } = linkRequest.issue(
        { subject, receiptId, formKey, language, purposes, now },
        config().children.parentalConsentTtlSeconds,
        {
          parent_email: input.parentEmail,
          parent_email_hash: parentEmailHash,
          threshold: input.threshold,
          country: input.country,
        }
      );
      return { ...issued, parentEmailHash, write: { table: TABLE.parentalConsent, insert: [row] } };
    },

    /** After the commit; a failed send is logged, not thrown (the request stands). */
    async send(mail: ParentalMail): Promise<boolean> {
      const row: ParentalRow | null = await query().findOne({ where: { tokenHash: tokenHash(mail.token) } });
      if (!row) return false;
      const sent = await sendPluginMail(strapi, {
        template: 'parental-consent',
        to: mail.email,
        language: mail.language,
        about: 'the parental consent mail',
        values: async (language) => ({
          link: `${getService('settings').publicUrl()}/api/consent/parental-consent/${mail.token}`,
          purposes: (await titles(row.purposes, language)).map((n) => `- ${n}`).join('\n'),
          expiresHours: String(Math.round(config().children.parentalConsentTtlSeconds / 3600)),
        }),
      });
      if (!sent) return false;
      await query().update({ where: { id: row.id }, data: { mailSentAt: new Date() } });
      return true;
    },

    /** What the page shows; changes nothing (GET). */
    async describe(token: string) {
      const { row, expired } = await load(token);
      const language = row.language ?? 'en';
      return { language, expired, confirmed: !!row.confirmedAt, purposes: await titles(row.purposes, language) };
    },

    /**
     * The parent's button: a `confirmed` event on every channel of the request still pending (G2, G4).
     * Idempotent: a second press changes nothing. The parent's address is cleared from the request once
     * used: the ledger keeps its keyed hash.
     */
    async confirm(token: string, request: CaptureRequest): Promise<ParentalOutcome> {
      const { row: first, status: result } = await linkRequest.confirmOnce(
        token,
        { message: 'This link has expired.', resend: false },
        async (row, confirmedAt, purposes) => {
          const states = await heldBy(row);
          const context = requestContext(request, config().ipStorage);
          const events: NewEvent[] = row.purposes.flatMap((p) =>
            p.channels
              .filter((channel) => states.some((s) => s.purpose === p.purpose && s.channel === channel))
              .map((channel): NewEvent => ({
                subject: row.subject,
                purpose: p.purpose,
                channel,
                action: 'confirmed',
                state: 'granted',
                method: 'link',
                legalBasis: purposes.get(p.purpose)?.legalBasis ?? 'consent',
                actor: PARENT_ACTOR,
                ...linkRequest.noticeOf(p),
                formKey: row.formKey,
                context: { ...context },
                evidence: {
                  kind: 'parental-confirmation',
                  verification: PARENTAL_VERIFICATION,
                  parent: { emailHash: row.parentEmailHash },
                  ageThreshold: { threshold: row.threshold, country: row.country },
                  ...linkRequest.linkEvidence(row, confirmedAt),
                },
                receiptId: row.receiptId,
                lifetimeDays: purposes.get(p.purpose)?.lifetimeDays ?? null,
                occurredAt: confirmedAt,
              }))
          );
          // The parent's address is used: the ledger keeps its keyed hash.
          return { events, update: { parentEmail: null } };
        }
      );

      const language = first.language ?? 'en';
      const keys = first.purposes.map((p) => p.purpose);
      const names = await titles(first.purposes, language);
      const states = (await getService('ledger').statesOf(first.subject, { purposes: keys })) as {
        purpose: string;
        channel: Channel;
        state: ConsentState;
      }[];
      return {
        status: result,
        language,
        purposes: first.purposes.map((p, i) => ({
          key: p.purpose,
          name: names[i],
          state: states.find((s) => s.purpose === p.purpose && s.channel === p.channels[0])?.state ?? 'none',
        })),
      };
    },

    /**
     * Requests no parent answered before the link expired (hourly, with the double opt-in expiry): the
     * child's pending consents they cover become `expired` (actor `system`, `evidence.reason:
     * 'parent-did-not-confirm'`), the request row and the parent's address go, and a child left with
     * nothing to honour loses their identifiers (B4). Idempotent and safe on several instances: each
     * request is re-read under the ledger lock.
     */
    async expirePending(now = new Date()): Promise<{ expired: number; requests: number }> {
      return linkRequest.expire({
        now,
        where: { expiresAt: { $lte: now } },
        reason: 'parent-did-not-confirm',
        pending: heldBy,
      });
    },
  };
};

export default parentalConsents;
export type ParentalConsentsService = ReturnType<typeof parentalConsents>;
