import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Audience, Channel, ConsentState, Jurisdiction } from '../../../shared/contracts/domain';
import type { CreateSubmission, Receipt } from '../../../shared/contracts/submissions';
import type { ConsentConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { answeredChannels, doubleOptInApplies } from '../domain/capture-rules';
import {
  planCapture,
  purposesInPlay,
  withLinks,
  type CaptureDecision,
  type CheckedSubmission,
  type LinkEvidence,
} from '../domain/capture-plan';
import {
  childStatus,
  formAgeThreshold,
  mergeChildStatus,
  PARENT_ACTOR,
  parentalConsentRequired,
} from '../domain/children-rules';
import { normaliseEmail } from '../domain/identifiers';
import { grantableChannels } from '../domain/channel-identifiers';
import { buildReceipt, type VerifiedNotice } from '../domain/receipt';
import { minimisePageUrl, requestContext, type RequestContext } from '../domain/request-context';
import { standardWithdrawalText } from '../domain/withdrawal-text';
import { groupCommit } from '../database/group-commit';
import { orderedId } from '../database/ordered-id';
import { mergeInserts, type TableWrite } from '../database/write-all';
import { ConflictError, ForbiddenRequestError } from '../errors';
import { getService } from '../utils/get-service';
import { SUBMISSION_EVENT } from './webhooks';
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
export interface CapturePlan extends CheckedSubmission {
  form: { key: string; doubleOptIn: boolean; privacyPolicyUrl: string | null };
  identifiers: Identifiers;
  audience?: Exclude<Audience, 'any'>;
  jurisdiction?: Jurisdiction;
  context: RequestContext;
  fields: Record<string, unknown>;
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
   * Load: the ledger's lock, the people (found or created under it), their states of the purposes in play
   * and, for a person the age question found to be a child (G2, G5, almost no submission), which of
   * their grants a parent gave: everything the plans read, read once for the group.
   */
  const load = async (items: Commit[]) => {
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
    for (const { subject, created } of people.resolved) {
      known.set(subject.pseudonym, { identifiers: identifiersOf(subject), created });
    }
    const inPlay = items.map(({ plan }) => purposesInPlay(plan));
    await ledger.load(
      people.resolved.map((r) => r.subject.pseudonym),
      inPlay.flat().map((p) => p.key)
    );
    const now = new Date();
    // A state the group moves later points at an event of this group, which no parent gave: the grants
    // read before the loop are the ones that can be a parent's. Read for child-flagged people only, below
    // the threshold (G2: only a parent's grant stands against the child's tick) and past it (G5).
    const granted = people.resolved.flatMap(({ subject }, i) =>
      childStatusOf(subject)?.child || items[i].plan.children?.parental
        ? inPlay[i].flatMap((p) =>
            p.channels
              .map((c) => ledger.state(subject.pseudonym, p.key, c))
              .filter((row) => row?.state === 'granted')
              .map((row) => Number(row!.lastEventSeq))
          )
        : []
    );
    const actors = await getService('ledger').actors(granted);
    const parentGrants = new Set([...actors].filter(([, actor]) => actor === PARENT_ACTOR).map(([seq]) => seq));
    return { ledger, people, parentGrants, now };
  };

  /**
   * The links a decision asks for (B1–B3, G2, G4): their tokens and rows, and the evidence the events
   * carry of them. The rows join the group's write; the mails go once it committed.
   */
  const issueLinks = (decision: CaptureDecision, plan: CapturePlan, subject: string, receiptId: string) => {
    const writes: TableWrite[] = [];
    const links: LinkEvidence = { doubleOptIn: null, parentalConsent: null };
    let mail: PendingMail | null = null;
    let parentMail: ParentalMail | null = null;
    const request = { subject, receiptId, formKey: plan.form.key, language: plan.locale };
    if (decision.confirmation) {
      const { purposes, email } = decision.confirmation;
      const issued = getService('confirmations').issue({ ...request, purposes });
      writes.push(issued.write);
      mail = { token: issued.token, email, language: plan.locale, purposes: purposes.map((p) => p.purpose) };
      links.doubleOptIn = { tokenHash: issued.tokenHash, expiresAt: issued.expiresAt.toISOString() };
    }
    if (decision.parental) {
      const { purposes, parentEmail, threshold, country } = decision.parental;
      const issued = getService('parental-consents').issue({ ...request, purposes, parentEmail, threshold, country });
      writes.push(issued.write);
      const keys = purposes.map((p) => p.purpose);
      parentMail = { token: issued.token, email: parentEmail, language: plan.locale, purposes: keys };
      links.parentalConsent = {
        tokenHash: issued.tokenHash,
        expiresAt: issued.expiresAt.toISOString(),
        parentEmailHash: issued.parentEmailHash,
      };
    }
    return { writes, links, mail, parentMail };
  };

  /**
   * Records plans in the current transaction: load once for the group, plan each submission (domain/
   * capture-plan.ts), sign, then write every row (people, events, states, head, deliveries, link requests,
   * receipts) in one group write: one INSERT per table, one statement on PostgreSQL. Each plan is decided
   * against the states the plans before it left (the ledger moves them in memory), so two submissions of
   * one person in a group are recorded as if one after the other.
   */
  const record = async (items: Commit[]): Promise<CaptureResult[]> => {
    const cfg = config();
    const base = getService('settings').publicUrl();
    const { ledger, people, parentGrants, now } = await load(items);

    const linkWrites: TableWrite[] = [];
    const receipts: Array<{ receipt: Receipt; formKey: string }> = [];
    const results = items.map(({ plan, options }, i): Omit<CaptureResult, 'receipt'> => {
      const { subject } = people.resolved[i];
      const receiptId = orderedId();
      const decision = planCapture({
        submission: {
          ...plan,
          formKey: plan.form.key,
          formDoubleOptIn: plan.form.doubleOptIn,
          context: { ...plan.context },
          evidence: options.evidence,
        },
        person: {
          pseudonym: subject.pseudonym,
          jurisdiction: subject.jurisdiction ?? null,
          audience: subject.audience ?? null,
          childStatus: childStatusOf(subject),
        },
        siteJurisdiction: cfg.jurisdiction,
        state: (purpose, channel) => ledger.state(subject.pseudonym, purpose, channel),
        parentGrants,
        receiptId,
        now,
      });
      const { writes, links, mail, parentMail } = issueLinks(decision, plan, subject.pseudonym, receiptId);
      linkWrites.push(...writes);
      const stored = ledger.add(withLinks(decision.events, links, plan.children));
      const eventIds = stored.map((e) => e.eventId);
      receipts.push({
        formKey: plan.form.key,
        receipt: buildReceipt({
          receiptId,
          issuedAt: stored[0]?.occurredAt ?? new Date(),
          issuer: base,
          jurisdiction: cfg.jurisdiction,
          language: plan.locale,
          pseudonym: subject.pseudonym,
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
          purposes: decision.receiptPurposes,
          eventIds,
        }),
      });
      return { states: decision.states, subject: subject.pseudonym, eventIds, mail, parentMail };
    });

    // Signed between plan and write: the key ring is the receipts service's.
    const { signed, writes } = getService('receipts').signMany(receipts);
    await getService('ledger').bulkWrite([
      ...people.writes,
      ...ledger.writes(),
      ...mergeInserts(linkWrites),
      ...writes,
    ]);
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

    /**
     * After the commit, the same for the public route and the form hook: the mails, then the
     * `consent.submission` event with the form's other fields (never stored by the plugin).
     */
    async settle(
      plan: CapturePlan,
      committed: CaptureResult
    ): Promise<
      CaptureResult & { confirmation: { mailSent: boolean } | null; parentalConsent: { mailSent: boolean } | null }
    > {
      const result = {
        ...committed,
        confirmation: await this.deliver(committed),
        parentalConsent: await this.deliverToParent(committed),
      };
      strapi.eventHub.emit(SUBMISSION_EVENT, {
        form: plan.form.key,
        subject: { id: result.subject, ...plan.identifiers },
        receipt: result.receipt,
        states: result.states,
        fields: plan.fields,
      });
      return result;
    },

    /** The public route: prepare, throttle, commit, then settle (mails, `consent.submission`). */
    async submit(body: SubmissionBody, request: CaptureRequest) {
      const plan = await this.prepare(body, request);
      await this.throttle(plan);
      return this.settle(plan, await this.commit(plan));
    },
  };
};

export default capture;
export type CaptureService = ReturnType<typeof capture>;
