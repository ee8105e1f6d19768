import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Audience, Channel, ConsentState, Jurisdiction } from '../../../shared/contracts/domain';
import type { CreateSubmission, Receipt } from '../../../shared/contracts/submissions';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID, UID } from '../constants';
import {
  answeredChannels,
  doubleOptInApplies,
  planSubmission,
  stateKey,
  type CurrentState,
  type RulePurpose,
} from '../domain/capture-rules';
import { movesState } from '../domain/consent-state';
import { needsReconsent } from '../domain/reconsent';
import {
  childStatus,
  formAgeThreshold,
  mergeChildStatus,
  needsOwnConfirmation,
  PARENT_ACTOR,
  parentalConsentRequired,
  reachedThreshold,
  type AgeThreshold,
  type ChildStatus,
} from '../domain/children-rules';
import { normaliseEmail } from '../domain/identifiers';
import { grantableChannels } from '../domain/channel-identifiers';
import { buildReceipt, type ReceiptPurpose, type VerifiedNotice } from '../domain/receipt';
import { minimisePageUrl, requestContext, type RequestContext } from '../domain/request-context';
import { standardWithdrawalText } from '../domain/withdrawal-text';
import { groupCommit } from '../database/group-commit';
import { orderedId } from '../database/ordered-id';
import { ConflictError, ForbiddenRequestError } from '../errors';
import { getService } from '../utils/get-service';
import type { Purpose } from '../../../shared/contracts/purposes';
import type { CatalogueView } from './catalogue';
import type { PendingMail } from './confirmations';
import type { ParentalMail } from './parental-consents';
import type { KnownSubject } from './ledger';
import { childStatusOf, identifiersOf, type Identifiers } from './subjects';

/** What a submission's HTTP request tells us besides its body. */
export interface CaptureRequest {
  origin?: string;
  referer?: string;
  /** This server's own origin (a form served by Strapi itself may always post). */
  ownOrigins: string[];
  ip?: string;
  userAgent?: string;
  gpc: boolean;
}

export type SubmissionBody = CreateSubmission.Request['body'];

/** A validated submission, ready to be recorded: everything the database was asked is in here. */
export interface CapturePlan {
  form: { key: string; doubleOptIn: boolean; privacyPolicyUrl: string | null };
  locale: string;
  identifiers: Identifiers;
  audience?: Exclude<Audience, 'any'>;
  jurisdiction?: Jurisdiction;
  offered: Purpose[];
  gpcPurposes: Purpose[];
  ticked: Set<string>;
  /**
   * Purposes answered box by box (`choices.<purpose>` = `{ "<channel>": boolean }`; A4, B5, N16): the
   * channels ticked. Absent: a tick covers every channel.
   */
  tickedChannels: Map<string, Channel[]>;
  notices: Map<string, VerifiedNotice>;
  /** The notice versions of the purposes in play that a material change outdated (A11, domain/reconsent.ts). */
  outdatedNotices: ReadonlySet<number>;
  pageUrl: string | null;
  context: RequestContext;
  gpc: boolean;
  fields: Record<string, unknown>;
  /**
   * A form offered to children (G1): the outcome of the age question (merged with what the person's
   * record already said), whether a tick waits for a parent (G2), and the parent's address to mail.
   */
  children: {
    threshold: AgeThreshold;
    status: ChildStatus;
    parental: boolean;
    parentEmail: string | null;
  } | null;
}

export interface CommitOptions {
  /** Stored with every event (the form hook links the entry it created). */
  evidence?: Record<string, unknown>;
  collectionMethod?: Receipt['collectionMethod'];
}

interface Commit {
  plan: CapturePlan;
  options: CommitOptions;
}

export interface CaptureResult {
  receipt: Receipt & { jws: string };
  states: Record<string, ConsentState>;
  subject: string;
  eventIds: string[];
  /** The confirmation mail to send once committed (double opt-in), if one was requested. */
  mail: PendingMail | null;
  /** The mail to a parent to send once committed (G2), if a child below the threshold ticked. */
  parentMail: ParentalMail | null;
}

const toRulePurpose = (p: Purpose, channels: Channel[] = p.channels): RulePurpose => ({
  key: p.key,
  legalBasis: p.legalBasis,
  mechanism: p.mechanism,
  channels,
  doubleOptIn: p.doubleOptIn,
  honorGpc: p.honorGpc,
});

const originOf = (url: string | undefined) => {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
};

/**
 * Opt-in capture (spec 4.1, A1–A10, F1–F6): checks a submission against its form, the purposes it offers
 * and their current notices, then records every decision in the ledger with a signed receipt, in one
 * transaction. The public route and the `plugin::consent.capture` form hook both come through here.
 */
const capture = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ConsentConfig;

  // Typed as a whole so that TypeScript narrows after a call (a refused value never reaches the next line).
  const invalid: (path: string, message: string) => never = (path, message) => {
    throw new errors.ValidationError(message, { errors: [{ path: path.split('.'), message }] });
  };

  /** The notices the front end says it displayed must be the current published versions (A9). */
  const verifyNotices = async (shown: Record<string, { version: number; hash: string }>, view?: CatalogueView) => {
    const keys = Object.keys(shown);
    const verified = new Map<string, VerifiedNotice>();
    if (keys.length === 0) return verified;
    const rows = await (view ?? (await getService('catalogue').view())).notices(keys);
    const outdated: Record<string, unknown>[] = [];
    for (const key of keys) {
      const { version, hash } = shown[key];
      const match = rows.find((r) => r.purpose === key && r.contentHash === hash);
      if (!match || match.version !== version) {
        invalid(`notices.${key}`, `notices.${key} is not a published version of the "${key}" notice`);
      }
      if (match.status !== 'published') {
        const current = rows.find(
          (r) => r.purpose === key && r.language === match.language && r.status === 'published'
        );
        outdated.push({
          purpose: key,
          shown: { version, hash },
          current: current
            ? { id: current.id, version: current.version, hash: current.contentHash, locale: current.language }
            : null,
        });
        continue;
      }
      verified.set(key, {
        id: match.id,
        version: match.version,
        hash: match.contentHash,
        language: match.language,
        dataCategories: match.dataCategories ?? [],
        recipients: match.recipients ?? [],
      });
    }
    if (outdated.length) {
      throw new ConflictError(
        `The text shown for ${outdated.map((o) => `"${o.purpose}"`).join(', ')} has changed since the page was loaded: show the current version and ask again`,
        { outdated },
        'NoticeOutdated'
      );
    }
    return verified;
  };

  const checkOrigin = (form: { key: string; allowedOrigins: string[] | null }, request: CaptureRequest) => {
    // Browsers send Origin with every POST (Referer as a fallback in old ones); a request with neither
    // is not a browser acting for a visitor, so there is no cross-site forgery to stop.
    const origin = request.origin ?? originOf(request.referer);
    if (!origin) return;
    const allowed = new Set([...(form.allowedOrigins ?? []), ...request.ownOrigins]);
    if (origin === 'null') {
      // What a browser sends from a page with `Referrer-Policy: no-referrer` (Strapi's own default) or from a
      // sandboxed frame: the page cannot be told apart from any other, so it is refused with the fix.
      throw new ForbiddenRequestError(
        `The browser sent "Origin: null", so the page posting form "${form.key}" cannot be checked: serve it with Referrer-Policy "same-origin" or "strict-origin-when-cross-origin", not "no-referrer"`,
        { origin, form: form.key }
      );
    }
    if (!allowed.has(origin)) {
      throw new ForbiddenRequestError(`Origin ${origin} may not post form "${form.key}"`, { origin, form: form.key });
    }
  };

  /**
   * G5: the granting events (by `seq`) of this person's grants that a parent gave. Read only for a person
   * past the threshold, which almost no submission is.
   */
  const grantsByParent = async (
    pseudonym: string,
    purposes: Purpose[],
    ledger: { state(subject: string, purpose: string, channel: string): { state: string; lastEventSeq: number } | null }
  ): Promise<Set<number>> => {
    const seqs = purposes
      .flatMap((p) => p.channels.map((c) => ledger.state(pseudonym, p.key, c)))
      .filter((row) => row?.state === 'granted')
      .map((row) => row!.lastEventSeq);
    if (!seqs.length) return new Set();
    const events: { seq: number | string; actor: string }[] = await strapi.db.query(UID.event).findMany({
      select: ['seq', 'actor'],
      where: { seq: { $in: seqs } },
    });
    return new Set(events.filter((e) => e.actor === PARENT_ACTOR).map((e) => Number(e.seq)));
  };

  /**
   * Records plans in the current transaction, in order: subjects, events, states and receipts, with one
   * read of the people and one INSERT per table for all of them (group commit). Each plan is decided
   * against the states the plans before it left, so two submissions of one person in a group are
   * recorded as if one after the other.
   */
  const record = async (items: Commit[]): Promise<CaptureResult[]> => {
    const cfg = config();
    const base = getService('settings').publicUrl();
    const subjects = getService('subjects');
    const requests = items.map(({ plan }) => ({
      identifiers: plan.identifiers,
      profile: {
        language: plan.locale,
        audience: plan.audience,
        jurisdiction: plan.jurisdiction,
        childStatus: plan.children?.status,
      },
    }));
    // The lock comes first: it makes finding and creating people safe against other instances. The people
    // are read under it, in the lock's own round trip where the database allows (PostgreSQL).
    const lookup = subjects.holdersQuery(requests);
    const known = new Map<string, KnownSubject>();
    const ledger = await getService('ledger').batch(known, { readUnderLock: lookup ?? undefined });
    const people = await subjects.prepareMany(requests, lookup ? ledger.readUnderLock : undefined);
    const resolved = people.resolved;
    for (const { subject, created } of resolved) {
      known.set(subject.pseudonym, { identifiers: identifiersOf(subject), created });
    }
    const inPlay = items.map(({ plan }) => [
      ...plan.offered,
      ...plan.gpcPurposes.filter((g) => !plan.offered.some((o) => o.key === g.key)),
    ]);
    await ledger.load(
      resolved.map((r) => r.subject.pseudonym),
      inPlay.flat().map((p) => p.key)
    );

    const results: Omit<CaptureResult, 'receipt'>[] = [];
    const receipts: Array<{ receipt: Receipt; formKey: string }> = [];
    for (const [i, { plan, options }] of items.entries()) {
      const { pseudonym } = resolved[i].subject;
      const purposesInPlay = inPlay[i];
      const states = new Map<string, CurrentState>();
      const child = childStatusOf(resolved[i].subject);
      const now = new Date();
      // A parent's grant to a person now past the threshold is theirs to confirm (G5): their tick renews it.
      const parentGrants = reachedThreshold(child, now)
        ? await grantsByParent(pseudonym, purposesInPlay, ledger)
        : new Set<number>();
      for (const purpose of purposesInPlay) {
        for (const channel of purpose.channels) {
          const row = ledger.state(pseudonym, purpose.key, channel);
          if (!row) continue;
          const reconsentRequired =
            needsReconsent(row.noticeId, plan.outdatedNotices) ||
            needsOwnConfirmation(child, parentGrants.has(Number(row.lastEventSeq)), now);
          states.set(stateKey(purpose.key, channel), { state: row.state, reconsentRequired });
        }
      }

      const planned = planSubmission({
        offered: plan.offered.map((p) => toRulePurpose(p)),
        gpcPurposes: plan.gpcPurposes.map((p) => toRulePurpose(p)),
        ticked: plan.ticked,
        tickedChannels: plan.tickedChannels,
        identifiers: plan.identifiers,
        // What the person's record says (C2): the form's declaration, else the submission's, else the site's.
        jurisdiction: resolved[i].subject.jurisdiction ?? plan.jurisdiction ?? cfg.jurisdiction,
        audience: resolved[i].subject.audience ?? plan.audience ?? null,
        displayed: new Set(plan.notices.keys()),
        formDoubleOptIn: plan.form.doubleOptIn,
        gpc: plan.gpc,
        parentalConsent: !!plan.children?.parental,
        states,
      });

      const receiptId = orderedId();
      const byKey = new Map(purposesInPlay.map((p) => [p.key, p]));

      // Double opt-in: one confirmation request for every purpose this submission left pending on email
      // (a phone number waiting for verification is not confirmed by mail: B5, N16).
      // A child's request waits for a parent instead (G2): the parent's confirmation is the mail that counts.
      const requested = plan.children?.parental
        ? []
        : [
            ...new Set(
              planned.events.filter((e) => e.action === 'requested' && e.channel === 'email').map((e) => e.purpose)
            ),
          ];
      let mail: PendingMail | null = null;
      let doubleOptIn: Record<string, unknown> | null = null;
      if (requested.length && plan.identifiers.email) {
        const created = await getService('confirmations').create({
          subject: pseudonym,
          receiptId,
          formKey: plan.form.key,
          language: plan.locale,
          purposes: requested.map((purpose) => {
            const notice = plan.notices.get(purpose);
            return {
              purpose,
              noticeId: notice?.id ?? null,
              noticeVersion: notice?.version ?? null,
              noticeHash: notice?.hash ?? null,
              noticeLanguage: notice?.language ?? null,
            };
          }),
        });
        mail = { token: created.token, email: plan.identifiers.email, language: plan.locale, purposes: requested };
        doubleOptIn = { tokenHash: created.tokenHash, expiresAt: created.expiresAt.toISOString() };
      }

      // G2, G4: one request to the parent for every channel the child's ticks left pending.
      let parentMail: ParentalMail | null = null;
      let parentalConsent: Record<string, unknown> | null = null;
      const forParent = plan.children?.parental ? planned.events.filter((e) => e.action === 'requested') : [];
      if (forParent.length && plan.children?.parentEmail) {
        const keys = [...new Set(forParent.map((e) => e.purpose))];
        const created = await getService('parental-consents').create({
          subject: pseudonym,
          receiptId,
          formKey: plan.form.key,
          language: plan.locale,
          parentEmail: plan.children.parentEmail,
          threshold: plan.children.threshold.threshold,
          country: plan.children.threshold.country,
          purposes: keys.map((purpose) => {
            const notice = plan.notices.get(purpose);
            return {
              purpose,
              channels: forParent.filter((e) => e.purpose === purpose).map((e) => e.channel),
              noticeId: notice?.id ?? null,
              noticeVersion: notice?.version ?? null,
              noticeHash: notice?.hash ?? null,
              noticeLanguage: notice?.language ?? null,
            };
          }),
        });
        parentMail = { token: created.token, email: plan.children.parentEmail, language: plan.locale, purposes: keys };
        parentalConsent = {
          tokenHash: created.tokenHash,
          expiresAt: created.expiresAt.toISOString(),
          parentEmailHash: created.parentEmailHash,
        };
      }
      // G1: the age gate's outcome, never the age: proof that the question was asked and what it decided.
      const ageCheck = plan.children
        ? {
            child: plan.children.status.child,
            reachesThresholdOn: plan.children.status.childUntil?.toISOString().slice(0, 10) ?? null,
            threshold: plan.children.threshold.threshold,
            country: plan.children.threshold.country,
          }
        : null;

      const stored = ledger.add(
        planned.events.map((e) => {
          const notice = plan.notices.get(e.purpose);
          const purpose = byKey.get(e.purpose);
          // C3: every record of an opt-out purpose (being told of the right to object, objecting) names
          // the balancing test the purpose relies on, next to the form hook's evidence.
          const base =
            e.action === 'requested' && e.channel === 'email' && doubleOptIn
              ? { ...options.evidence, doubleOptIn }
              : (e.action === 'informed' || e.action === 'objected') && purpose?.mechanism === 'opt-out'
                ? { ...options.evidence, balancingTest: purpose.balancingTest ?? null }
                : options.evidence;
          const evidence = ageCheck
            ? { ...base, ageCheck, ...(e.action === 'requested' && parentalConsent ? { parentalConsent } : {}) }
            : base;
          return {
            ...e,
            subject: pseudonym,
            actor: e.method === 'signal' ? 'signal' : 'subject',
            noticeId: notice?.id ?? null,
            noticeVersion: notice?.version ?? null,
            noticeHash: notice?.hash ?? null,
            noticeLanguage: notice?.language ?? null,
            formKey: plan.form.key,
            pageUrl: plan.pageUrl,
            context: { ...plan.context },
            evidence: evidence ?? null,
            receiptId,
            lifetimeDays: purpose?.lifetimeDays ?? null,
          };
        })
      );

      const resultStates: Record<string, ConsentState> = {};
      const receiptPurposes: ReceiptPurpose[] = [];
      for (const purpose of purposesInPlay) {
        const decision = planned.decisions.get(purpose.key) ?? 'unchanged';
        if (!plan.offered.includes(purpose) && decision === 'unchanged') continue;
        // The state shown for the purpose: its first channel this submission recorded, else its first channel.
        // An `informed` event (C3) is proof only: it decides neither the state nor the method shown.
        const decided = stored.filter((e) => e.purpose === purpose.key && movesState(e.action));
        const channel = decided[0]?.channel ?? purpose.channels[0];
        const latest = decided.filter((e) => e.channel === channel).pop();
        const state = latest?.state ?? states.get(stateKey(purpose.key, channel))?.state ?? 'none';
        resultStates[purpose.key] = state;
        receiptPurposes.push({
          key: purpose.key,
          name: purpose.name,
          legalBasis: purpose.legalBasis,
          directMarketing: purpose.directMarketing,
          channels: purpose.channels,
          lifetimeDays: purpose.lifetimeDays,
          decision,
          state,
          method: latest ? (latest.method === 'signal' ? 'signal' : 'form') : null,
          notice: plan.notices.get(purpose.key) ?? null,
        });
      }

      receipts.push({
        formKey: plan.form.key,
        receipt: buildReceipt({
          receiptId,
          issuedAt: stored[0]?.occurredAt ?? new Date(),
          issuer: base,
          jurisdiction: cfg.jurisdiction,
          language: plan.locale,
          pseudonym,
          controller: cfg.controller,
          policyUrl: plan.form.privacyPolicyUrl,
          collectionMethod: options.collectionMethod ?? 'web-form',
          form: plan.form.key,
          pageUrl: plan.pageUrl,
          withdrawalMethod: [
            standardWithdrawalText(plan.locale, 'consent') ?? standardWithdrawalText('en', 'consent'),
            `${base}/api/consent/withdrawals`,
          ]
            .filter(Boolean)
            .join(' '),
          purposes: receiptPurposes,
          eventIds: stored.map((e) => e.eventId),
        }),
      });
      results.push({
        states: resultStates,
        subject: pseudonym,
        eventIds: stored.map((e) => e.eventId),
        mail,
        parentMail,
      });
    }

    // Every row of the group: people, events, states, head, receipts (one statement on PostgreSQL).
    const { signed, writes } = getService('receipts').signMany(receipts);
    await getService('ledger').bulkWrite([...people.writes, ...ledger.writes(), ...writes]);
    return results.map((result, i) => ({ ...result, receipt: signed[i] }));
  };

  // Submissions arriving together share one transaction (and one ledger lock).
  const grouped = groupCommit(strapi, record);

  return {
    /** At shutdown: refuses new submissions (503) and writes the queued ones (services/shutdown). */
    close: () => grouped.close(),

    /** Checks the notices a front end displayed against the current published versions (A9). */
    verifyNotices,

    /** Everything that can refuse a submission, before anything is written. */
    async prepare(body: SubmissionBody, request: CaptureRequest): Promise<CapturePlan> {
      const catalogue = await getService('catalogue').view();
      const form = await catalogue.form(body.form);
      if (!form) invalid('form', `form: no active form with key "${body.form}"`);
      checkOrigin(form, request);

      const choices = body.choices ?? {};
      const shown = body.notices ?? {};
      const offeredKeys: string[] = form.purposes;
      for (const [field, keys] of [
        ['choices', Object.keys(choices)],
        ['notices', Object.keys(shown)],
      ] as const) {
        const stray = keys.find((k) => !offeredKeys.includes(k));
        if (stray) invalid(`${field}.${stray}`, `${field}.${stray}: form "${form.key}" does not offer this purpose`);
      }
      const byKey = await catalogue.purposes(offeredKeys);
      // A purpose answered box by box: every key must be one of its channels (A4, B5, N16).
      const tickedChannels = new Map<string, Channel[]>();
      for (const [key, answer] of Object.entries(choices)) {
        if (typeof answer !== 'object' || answer === null) continue;
        const purpose = byKey.get(key);
        for (const channel of Object.keys(answer)) {
          if (!purpose?.channels.includes(channel as Channel)) {
            invalid(
              `choices.${key}.${channel}`,
              `choices.${key}.${channel}: purpose "${key}" is not offered on channel "${channel}"`
            );
          }
        }
        tickedChannels.set(key, Object.keys(answer).filter((c) => answer[c as Channel] === true) as Channel[]);
      }
      const ticked = new Set(
        Object.keys(choices).filter((k) => choices[k] === true || (tickedChannels.get(k)?.length ?? 0) > 0)
      );
      for (const key of Object.keys(choices)) {
        if (!shown[key])
          invalid(`notices.${key}`, `notices.${key} is required: send the notice version and hash you displayed`);
      }

      const offered = offeredKeys.map((k) => byKey.get(k)).filter((p): p is Purpose => !!p && p.active);
      for (const key of ticked) {
        const purpose = offered.find((p) => p.key === key);
        if (!purpose) invalid(`choices.${key}`, `choices.${key}: purpose "${key}" is archived`);
        if (purpose!.mechanism === 'none') {
          invalid(`choices.${key}`, `choices.${key}: purpose "${key}" (${purpose!.legalBasis}) offers no choice`);
        }
      }

      const notices = await verifyNotices(shown, catalogue);
      const identifiers = getService('subjects').normalise(body.subject ?? {});
      if (!identifiers.email && !identifiers.phone && !identifiers.externalId) {
        invalid('subject', 'subject needs an email, a phone or an externalId');
      }
      // No consent for a channel without its identifier (A4, B5, N16): a purpose none of whose ticked
      // channels has one is refused naming the field; one with some is granted on those channels only.
      // Whose law applies decides double opt-in (B1: always in `de`); the person's stored jurisdiction
      // can only make it stricter, which the capture rules apply again when recording.
      const jurisdiction = form.jurisdiction ?? body.subject?.jurisdiction ?? config().jurisdiction;
      let needsEmail: string | undefined;
      for (const key of ticked) {
        const p = offered.find((o) => o.key === key)!;
        if (p.mechanism !== 'opt-in') continue; // an objection needs no address: it is recorded on every channel
        const channels = answeredChannels(p.channels, true, tickedChannels.get(key)).ticked;
        const decision = grantableChannels(channels, identifiers);
        if (!decision.ok) {
          const message = `${decision.missing.join(' and ')} ${decision.missing.length > 1 ? 'are' : 'is'} required: "${key}" is consent to be contacted by ${channels.join(', ')}`;
          throw new errors.ValidationError(message, {
            errors: decision.missing.map((field) => ({ path: field.split('.'), message })),
          });
        }
        if (
          !needsEmail &&
          doubleOptInApplies(p, form.doubleOptIn, jurisdiction) &&
          decision.channels.includes('email')
        ) {
          needsEmail = key;
        }
      }
      if (needsEmail && !identifiers.email) {
        invalid('subject.email', `subject.email is required: "${needsEmail}" is confirmed by email (double opt-in)`);
      }

      const children = await this.ageGate(form, body, identifiers, ticked, offered);

      const gpcPurposes = request.gpc ? await catalogue.gpcPurposes() : [];
      // From the catalogue's memory: whether a stored grant still covers the current text (A11).
      const outdatedNotices = await catalogue.outdatedNotices([...offered, ...gpcPurposes].map((p) => p.key));
      return {
        form: { key: form.key, doubleOptIn: form.doubleOptIn, privacyPolicyUrl: form.privacyPolicyUrl ?? null },
        locale: body.locale ?? 'en',
        identifiers,
        // The editor's declaration on the form outranks what the page sends: a visitor's browser cannot
        // move a person into a looser regime (C2).
        audience: form.audience ?? body.subject?.audience,
        jurisdiction: form.jurisdiction ?? body.subject?.jurisdiction,
        offered,
        gpcPurposes,
        ticked,
        tickedChannels,
        notices,
        outdatedNotices,
        pageUrl: minimisePageUrl(body.context?.url),
        context: requestContext(request, config().ipStorage),
        gpc: request.gpc,
        fields: body.fields ?? {},
        children,
      };
    },

    /**
     * G1, G2: a children's form's age question. Its answer must be there and be a number (the validator
     * checked the type); a person below the threshold who ticks a consent needs a parent's address, not
     * their own. A form not offered to children takes no age: it is not asked, so it is not collected.
     */
    async ageGate(
      form: {
        key: string;
        offeredToChildren?: boolean | null;
        childrenCountry?: string | null;
        jurisdiction?: Jurisdiction | null;
      },
      body: SubmissionBody,
      identifiers: Identifiers,
      ticked: Set<string>,
      offered: Purpose[]
    ): Promise<CapturePlan['children']> {
      if (!form.offeredToChildren) {
        for (const field of ['age', 'birthYear', 'parentEmail'] as const) {
          if (body[field] !== undefined)
            invalid(field, `${field}: form "${form.key}" is not offered to children and does not ask for it`);
        }
        return null;
      }
      if (body.age !== undefined && body.birthYear !== undefined)
        invalid('birthYear', 'birthYear: send age or birthYear, not both');
      if (body.age === undefined && body.birthYear === undefined) {
        invalid('age', `age is required: form "${form.key}" is offered to children (send age, or birthYear)`);
      }
      const cfg = config();
      const threshold = formAgeThreshold(form, {
        jurisdiction: cfg.jurisdiction,
        thresholds: cfg.children.thresholds,
        defaultAge: cfg.children.defaultAge,
      });
      const now = new Date();
      const answered = childStatus(
        body.age !== undefined ? { age: body.age } : { birthYear: body.birthYear! },
        threshold.threshold,
        now
      );
      // What the person's record already says stands if it is stricter (a child cannot answer their way out).
      const known = await getService('subjects').find(identifiers);
      const status = mergeChildStatus(known ? childStatusOf(known) : null, answered);
      const parental = parentalConsentRequired(status, now);
      const asksConsent = [...ticked].some((key) => offered.find((p) => p.key === key)?.mechanism === 'opt-in');
      let parentEmail: string | null = null;
      if (parental && asksConsent) {
        if (!body.parentEmail) {
          invalid(
            'parentEmail',
            `parentEmail is required: below ${threshold.threshold}, a holder of parental responsibility confirms the consent`
          );
        }
        const normalised = normaliseEmail(body.parentEmail!);
        if (!normalised.ok) invalid('parentEmail', `parentEmail ${normalised.reason}`);
        if (normalised.value === identifiers.email) {
          invalid('parentEmail', "parentEmail must be a parent's address, not the person's own");
        }
        parentEmail = normalised.value;
      }
      return { threshold, status, parental, parentEmail };
    },

    /** Per-identifier rate limit (B6): counted before anything is written, outside any transaction. */
    async throttle(plan: CapturePlan) {
      const subjects = getService('subjects');
      for (const type of ['email', 'phone'] as const) {
        const value = plan.identifiers[type];
        if (value) await getService('rate-limits').identifier('submission', subjects.hash(type, value));
      }
    },

    /**
     * Records the plan: subject, events, states and receipt in one transaction: the caller's when there is
     * one (the form hook's), else one shared with the submissions that arrive at the same time (group
     * commit). `evidence` is stored with every event (the form hook links the entry it created).
     */
    async commit(plan: CapturePlan, options: CommitOptions = {}): Promise<CaptureResult> {
      // A caller's transaction (the form hook's) is joined, so its entry and this consent commit together.
      if (strapi.db.inTransaction()) return strapi.db.transaction(async () => (await record([{ plan, options }]))[0]);
      return grouped({ plan, options });
    },

    /**
     * After the commit: the confirmation mail, at most one per address per `resendAfterSeconds` (B6). A
     * second sign-up within that time is recorded but mails nothing (the first mail's link still works).
     */
    async deliver(result: CaptureResult): Promise<{ mailSent: boolean } | null> {
      if (!result.mail) return null;
      const confirmations = getService('confirmations');
      try {
        await confirmations.throttle(result.mail.email);
      } catch (error) {
        if (error instanceof errors.RateLimitError) return { mailSent: false };
        throw error;
      }
      return { mailSent: await confirmations.send(result.mail) };
    },

    /** After the commit: the mail to the parent (G2), at most one per parent address per `resendAfterSeconds`. */
    async deliverToParent(result: CaptureResult): Promise<{ mailSent: boolean } | null> {
      if (!result.parentMail) return null;
      try {
        await getService('confirmations').throttle(result.parentMail.email);
      } catch (error) {
        if (error instanceof errors.RateLimitError) return { mailSent: false };
        throw error;
      }
      return { mailSent: await getService('parental-consents').send(result.parentMail) };
    },

    /** The public route: prepare, throttle, commit, mail; then tell `consent.submission` listeners. */
    async submit(
      body: SubmissionBody,
      request: CaptureRequest
    ): Promise<
      CaptureResult & { confirmation: { mailSent: boolean } | null; parentalConsent: { mailSent: boolean } | null }
    > {
      const plan = await this.prepare(body, request);
      await this.throttle(plan);
      const committed = await this.commit(plan);
      const result = {
        ...committed,
        confirmation: await this.deliver(committed),
        parentalConsent: await this.deliverToParent(committed),
      };
      strapi.eventHub.emit('consent.submission', {
        form: plan.form.key,
        subject: { id: result.subject, ...plan.identifiers },
        receipt: result.receipt,
        states: result.states,
        fields: plan.fields,
      });
      return result;
    },
  };
};

export default capture;
export type CaptureService = ReturnType<typeof capture>;
