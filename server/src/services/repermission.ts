import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Channel, ConsentState, LegalBasis } from '../../../shared/contracts/domain';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { requestContext } from '../domain/request-context';
import { pickTemplate, prefillForMessages } from '../domain/mail-templates';
import { currentGrant, REPERMISSION_KIND, SYSTEM_ACTOR } from '../domain/retention-rules';
import { tokenHash } from '../domain/tokens';
import { GoneError } from '../errors';
import { getService } from '../utils/get-service';
import { json } from '../utils/row-values';
import type { CaptureRequest } from './capture';
import type { NewEvent } from './ledger';
import type { MessageRecipientInput } from './messages';
import type { SubjectRow } from './retention';

const DAY = 86_400_000;
/** How long a re-permission link keeps working after the answer period: a late answer still counts if the data is there. */
const LINK_GRACE_DAYS = 30;

interface GrantRow {
  purpose: string;
  channel: Channel;
  state: ConsentState;
  legalBasis: LegalBasis;
  noticeId: number | null;
  noticeVersion: number | null;
  grantedAt: string | Date | null;
  expiresAt: string | Date | null;
}

export interface RenewOutcome {
  /** `renewed`: the grants go on; `already-renewed`: an earlier answer did it; `nothing-to-renew`: no grant left. */
  status: 'renewed' | 'already-renewed' | 'nothing-to-renew';
  language: string;
  purposes: string[];
}

/**
 * I4, the one re-permission request: before a French subscriber's three years without an act of their own
 * end (services/retention.ts decides who is due), they are asked once per purpose whether they want to go
 * on, by a marketing mail of the messages service (D10: sent only if they may still be mailed). The
 * request is a `contacted` event (method `api`, actor `system`: not the person's act), the answer a
 * `confirmed` event per grant (method `link`, the person's act), which starts their three years and their
 * consents' lifetimes again. Silence lets the purge take their data `retention.repermissionDays` later.
 * Like the confirmation link, opening the link changes nothing (mail scanners follow links): only the
 * POST of its button answers.
 */
const repermission = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  /** The person's grants still current at `now`, among `purposes` when given. */
  const grantsOf = async (pseudonym: string, now: Date, purposes?: string[]): Promise<GrantRow[]> => {
    const rows: GrantRow[] = await getService('ledger').statesOf(pseudonym, { state: 'granted', purposes, byId: true });
    return rows.filter((r) => currentGrant(r, now));
  };

  const uniqueKeys = (grants: GrantRow[]) => [...new Set(grants.map((g) => g.purpose))];

  /** Among `keys`, the purposes the person was sent a re-permission request about after `since`. */
  const askedSince = async (pseudonym: string, keys: string[], since: Date): Promise<string[]> => {
    const requests = await getService('ledger').contactsSince(SYSTEM_ACTOR, pseudonym, keys, since);
    return requests.filter((r) => json(r.evidence)?.kind === REPERMISSION_KIND).map((r) => r.purpose);
  };

  /**
   * The grants an answer can renew: current, among those the request asked about, and not waiting for
   * re-consent on a materially changed notice (going on is not agreeing to the new text). The page and
   * the answer use the same list, so the page never offers what the button will not do.
   */
  const renewableGrants = async (pseudonym: string, now: Date, purposes: string[]): Promise<GrantRow[]> => {
    const current = await grantsOf(pseudonym, now, purposes);
    const reconsent = await getService('catalogue').reconsent(uniqueKeys(current));
    return current.filter((g) => !reconsent(g));
  };

  const deadlineText = (deadline: Date, language: string) => {
    try {
      return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(deadline);
    } catch {
      return deadline.toISOString().slice(0, 10);
    }
  };

  /** A valid, unexpired link and the person it is for, still on file; 400 or 410 otherwise. */
  const open = async (token: string) => {
    const { payload, expired } = getService('tokens').read(token, 'renew');
    const person = await getService('subjects').byPseudonym(payload.sub);
    const language = person?.language ?? 'en';
    if (expired || !person || person.erasedAt) {
      throw new GoneError('This link has expired. To hear from us again, please sign up again.', {
        resend: false,
        language,
      });
    }
    return { payload, person, language, requestedAt: new Date(payload.ref ?? 0) };
  };

  return {
    /**
     * One night's requests (`services/retention.ts` adds each person found due): per purpose the person
     * holds a current email grant for and was not asked about since `since` (their last own act), a
     * recipient of that night's message for the purpose in their language, with their own renew link for
     * that purpose, the deadline and the purpose's name as placeholders, and the re-permission evidence
     * (token hash, deadline) the worker puts on the `contacted` event it records once the mail left. The
     * messages service sends it (eligibility at sending time: D10), so a mail that fails records nothing
     * and the person is due again the next night. Skipped: someone whose mail for the purpose is still
     * queued, or whom another instance claimed tonight (`rate-limits`, per person, purpose and day).
     */
    run(now = new Date()) {
      const cfg = config();
      const deadline = new Date(now.getTime() + cfg.retention.repermissionDays * DAY);
      const day = now.toISOString().slice(0, 10);
      const groups = new Map<string, { purpose: string; language: string; recipients: MessageRecipientInput[] }>();
      const names = new Map<string, string>();
      const messageIds: number[] = [];
      let requested = 0;

      const nameOf = async (purpose: string, language: string) => {
        const key = `${purpose}|${language}`;
        if (!names.has(key)) names.set(key, (await getService('purposes').namesIn([purpose], language))[0] ?? purpose);
        return names.get(key)!;
      };

      const flush = async (key: string) => {
        const group = groups.get(key);
        groups.delete(key);
        if (!group || group.recipients.length === 0) return;
        const { template } = pickTemplate('repermission', group.language, cfg.email.templates);
        const id = await getService('messages').enqueue(
          {
            purpose: group.purpose,
            channel: 'email',
            recipients: group.recipients,
            template: prefillForMessages(template, {
              controllerName: cfg.controller.name,
              controllerAddress: cfg.controller.address,
              controllerContact: cfg.controller.contact,
            }),
            // D10: a re-permission mail is marketing: opt-out link and one-click headers like any other.
            kind: 'marketing',
          },
          SYSTEM_ACTOR
        );
        messageIds.push(id);
        requested += group.recipients.length;
      };

      /** Tonight's claim on asking this person about this purpose: false if another instance has it. */
      const claim = (pseudonym: string, purpose: string) =>
        getService('rate-limits').once(
          're-permission',
          createHash('sha256').update(`${pseudonym}:${purpose}:${day}`).digest('hex'),
          86_400
        );

      return {
        /**
         * `known`: the person's email purposes with a current grant and those they were asked about since
         * `since`, when the caller already read them for a page of people (services/retention.ts); read
         * here otherwise.
         */
        async add(
          person: Pick<SubjectRow, 'pseudonym' | 'email' | 'language'>,
          since: Date,
          known?: { purposes: string[]; asked: string[] }
        ): Promise<void> {
          if (!person.email) return;
          const keys = known
            ? [...new Set(known.purposes)]
            : uniqueKeys((await grantsOf(person.pseudonym, now)).filter((g) => g.channel === 'email'));
          if (keys.length === 0) return;
          const asked = new Set(known ? known.asked : await askedSince(person.pseudonym, keys, since));
          const { language } = pickTemplate('repermission', person.language ?? 'en', cfg.email.templates);
          for (const purpose of keys) {
            if (asked.has(purpose)) continue;
            if ((await getService('messages').unsent(purpose, [person.email], REPERMISSION_KIND)).size > 0) continue;
            if (!(await claim(person.pseudonym, purpose))) continue;
            const token = getService('tokens').issue({
              use: 'renew',
              sub: person.pseudonym,
              purposes: [purpose],
              ref: now.toISOString(),
              exp: Math.floor((deadline.getTime() + LINK_GRACE_DAYS * DAY) / 1000),
            });
            const key = `${purpose}|${language}`;
            if (!groups.has(key)) groups.set(key, { purpose, language, recipients: [] });
            const group = groups.get(key)!;
            group.recipients.push({
              email: person.email,
              placeholders: {
                link: `${getService('settings').publicUrl()}/api/consent/renew/${token}`,
                preferencesLink: getService('links').preferences(person.pseudonym),
                purposes: `- ${await nameOf(purpose, language)}`,
                deadline: deadlineText(deadline, language),
              },
              evidence: { kind: REPERMISSION_KIND, tokenHash: tokenHash(token), answerBy: deadline.toISOString() },
            });
            // Memory stays bounded on a first run over old data: a full message is queued at once.
            if (group.recipients.length >= cfg.messages.maxRecipientsPerCall) await flush(key);
          }
        },

        /** Queues what is left: the people asked tonight (one per purpose) and the messages that carry them. */
        async finish(): Promise<{ requested: number; messages: number[] }> {
          for (const key of [...groups.keys()]) await flush(key);
          return { requested, messages: messageIds };
        },
      };
    },

    /** What the link's page shows; changes nothing (GET). */
    async describe(token: string, now = new Date()) {
      const { payload, language, person } = await open(token);
      const grants = await renewableGrants(person.pseudonym, now, payload.purposes);
      return {
        language,
        purposes: await getService('purposes').namesIn(uniqueKeys(grants), language),
        renewable: grants.length > 0,
      };
    },

    /**
     * The person's answer: a `confirmed` event (state `granted`, method `link`, actor `subject`) for each of
     * their grants the request asked about that is still current (`renewableGrants`), keeping the notice
     * they agreed to. Idempotent: a grant renewed or given again since the request is not renewed twice.
     */
    async renew(token: string, request: CaptureRequest, now = new Date()): Promise<RenewOutcome> {
      const { payload, language, person, requestedAt } = await open(token);
      const hash = tokenHash(token);
      const renewed = await strapi.db.transaction(async () => {
        const ledger = getService('ledger');
        await ledger.lock();
        const grants = await renewableGrants(person.pseudonym, now, payload.purposes);
        if (grants.length === 0) return { status: 'nothing-to-renew' as const, keys: [] };
        // Given again since the request (a form, another answer to this link): nothing to renew.
        const answered = await ledger.linkConfirmationsOf(person.pseudonym);
        const byThisLink = new Set(
          answered.filter((e) => json(e.evidence)?.tokenHash === hash).map((e) => `${e.purpose}|${e.channel}`)
        );
        const due = grants.filter(
          (g) =>
            !byThisLink.has(`${g.purpose}|${g.channel}`) &&
            (!g.grantedAt || new Date(g.grantedAt).getTime() < requestedAt.getTime())
        );
        if (due.length === 0) return { status: 'already-renewed' as const, keys: uniqueKeys(grants) };
        const purposes = await getService('purposes').byKeys(uniqueKeys(due));
        const notices = await getService('notices').textHashesOf(
          due.map((g) => g.noticeId).filter((id): id is number => id != null)
        );
        const context = requestContext(request, config().ipStorage);
        const events: NewEvent[] = due.map((g) => {
          const notice = notices.find((n) => n.id === g.noticeId);
          return {
            subject: person.pseudonym,
            purpose: g.purpose,
            channel: g.channel,
            action: 'confirmed',
            state: 'granted',
            method: 'link',
            legalBasis: g.legalBasis,
            actor: 'subject',
            noticeId: g.noticeId,
            noticeVersion: g.noticeVersion,
            noticeHash: notice?.contentHash ?? null,
            noticeLanguage: notice?.language ?? null,
            context: { ...context },
            evidence: { kind: REPERMISSION_KIND, tokenHash: hash, requestedAt: requestedAt.toISOString() },
            lifetimeDays: purposes.get(g.purpose)?.lifetimeDays ?? null,
            occurredAt: now,
          };
        });
        await ledger.append(events);
        return { status: 'renewed' as const, keys: uniqueKeys(due) };
      });
      return {
        status: renewed.status,
        language,
        purposes: await getService('purposes').namesIn(renewed.keys, language),
      };
    },
  };
};

export default repermission;
export type RepermissionService = ReturnType<typeof repermission>;
