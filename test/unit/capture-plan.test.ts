/**
 * What recording one submission writes (domain/capture-plan.ts): `planCapture` decides from plain data the
 * events, the link requests and the receipt's purposes; `withLinks` adds the proof of the issued links.
 * The rules of a single box are capture-rules.test.ts's; these are what follows for one person.
 */
import type { Channel } from '../../shared/contracts/domain';
import type { Purpose } from '../../shared/contracts/purposes';
import {
  planCapture,
  withLinks,
  type CaptureFacts,
  type LinkEvidence,
  type StoredState,
} from '../../server/src/domain/capture-plan';
import type { VerifiedNotice } from '../../server/src/domain/receipt';

const purpose = (over: Partial<Purpose>): Purpose =>
  ({
    key: 'newsletter',
    name: 'Newsletter',
    legalBasis: 'consent',
    mechanism: 'opt-in',
    channels: ['email'],
    doubleOptIn: false,
    honorGpc: false,
    directMarketing: false,
    lifetimeDays: 730,
    balancingTest: null,
    active: true,
    ...over,
  }) as Purpose;

const newsletter = purpose({});
const offers = purpose({ key: 'offers', name: 'Offers', channels: ['email', 'sms'], doubleOptIn: true });
const postal = purpose({
  key: 'postal',
  name: 'Postal mail',
  legalBasis: 'legitimate-interest',
  mechanism: 'opt-out',
  channels: ['postal'],
  balancingTest: 'https://example.com/lia',
});
const tracking = purpose({ key: 'tracking', name: 'Tracking', channels: ['web'], honorGpc: true });

const notice = (id: number): VerifiedNotice => ({
  id,
  version: 2,
  hash: `hash-${id}`,
  language: 'en',
  dataCategories: [],
  recipients: [],
});

const NOW = new Date('2026-06-01T10:00:00Z');
const LINKS: LinkEvidence = {
  doubleOptIn: { tokenHash: 'doi-hash', expiresAt: '2026-06-03T10:00:00.000Z' },
  parentalConsent: { tokenHash: 'parent-hash', expiresAt: '2026-06-08T10:00:00.000Z', parentEmailHash: 'p-hash' },
};

type Over = Partial<CaptureFacts['submission']> & {
  stored?: Record<string, StoredState>;
  person?: Partial<CaptureFacts['person']>;
  parentGrants?: number[];
};

const facts = (over: Over = {}): CaptureFacts => {
  const { stored = {}, person = {}, parentGrants = [], ...submission } = over;
  const offered = submission.offered ?? [newsletter];
  return {
    submission: {
      formKey: 'signup',
      formDoubleOptIn: false,
      locale: 'en',
      identifiers: { email: 'ada@example.com' },
      offered,
      gpcPurposes: [],
      ticked: new Set(),
      tickedChannels: new Map(),
      notices: new Map(offered.map((p, i) => [p.key, notice(10 + i)])),
      outdatedNotices: new Set(),
      pageUrl: 'https://example.com/signup',
      context: { ip: null },
      gpc: false,
      children: null,
      ...submission,
    },
    person: { pseudonym: 'p-1', jurisdiction: null, audience: null, childStatus: null, ...person },
    siteJurisdiction: 'eu',
    state: (key: string, channel: Channel) => stored[`${key}:${channel}`] ?? null,
    parentGrants: new Set(parentGrants),
    receiptId: 'r-1',
    now: NOW,
  };
};

const actions = (d: ReturnType<typeof planCapture>) => d.events.map((e) => `${e.purpose}:${e.channel}:${e.action}`);

describe('planCapture: what one submission records', () => {
  it('A1, A3: only the ticked purpose is granted; a shown, unticked one is refused', () => {
    const d = planCapture(facts({ offered: [newsletter, tracking], ticked: new Set(['newsletter']) }));
    expect(actions(d)).toEqual(['newsletter:email:granted', 'tracking:web:refused']);
    expect(d.states).toEqual({ newsletter: 'granted', tracking: 'refused' });
    expect(d.confirmation).toBeNull();
  });

  it('A9: every event and the receipt name the exact notice shown (id, version, hash, language)', () => {
    const d = planCapture(facts({ ticked: new Set(['newsletter']) }));
    expect(d.events[0]).toMatchObject({
      subject: 'p-1',
      actor: 'subject',
      noticeId: 10,
      noticeVersion: 2,
      noticeHash: 'hash-10',
      noticeLanguage: 'en',
      formKey: 'signup',
      receiptId: 'r-1',
      lifetimeDays: 730,
    });
    expect(d.receiptPurposes).toEqual([
      expect.objectContaining({
        key: 'newsletter',
        decision: 'granted',
        state: 'granted',
        method: 'form',
        notice: notice(10),
      }),
    ]);
  });

  it('B1, B3, B5: double opt-in asks a confirmation of the email channel only, with its notice; the SMS box is granted', () => {
    const d = planCapture(
      facts({
        offered: [offers],
        ticked: new Set(['offers']),
        identifiers: { email: 'ada@example.com', phone: '+4915112345678' },
      })
    );
    expect(actions(d)).toEqual(['offers:email:requested', 'offers:sms:granted']);
    expect(d.confirmation).toEqual({
      email: 'ada@example.com',
      purposes: [{ purpose: 'offers', noticeId: 10, noticeVersion: 2, noticeHash: 'hash-10', noticeLanguage: 'en' }],
    });
    const events = withLinks(d.events, { ...LINKS, parentalConsent: null }, null);
    expect(events.map((e) => e.evidence)).toEqual([{ doubleOptIn: LINKS.doubleOptIn }, null]);
  });

  it('B1, C2: a person whose record says `de` confirms email by mail, whatever the form says', () => {
    const d = planCapture(facts({ ticked: new Set(['newsletter']), person: { jurisdiction: 'de' } }));
    expect(actions(d)).toEqual(['newsletter:email:requested']);
    expect(d.states.newsletter).toBe('pending');
    expect(d.confirmation?.purposes.map((p) => p.purpose)).toEqual(['newsletter']);
  });

  it('A11: a grant under an outdated notice is confirmed again (double opt-in); under the current one, a tick renews it as it is', () => {
    const digest = purpose({ key: 'digest', doubleOptIn: true });
    const stored = { 'digest:email': { state: 'granted' as const, noticeId: 7, lastEventSeq: 41 } };
    const current = planCapture(facts({ offered: [digest], ticked: new Set(['digest']), stored }));
    expect(actions(current)).toEqual(['digest:email:granted']);
    expect(current.confirmation).toBeNull();
    const outdated = planCapture(
      facts({ offered: [digest], ticked: new Set(['digest']), stored, outdatedNotices: new Set([7]) })
    );
    expect(actions(outdated)).toEqual(['digest:email:requested']);
    expect(outdated.confirmation?.purposes.map((p) => p.purpose)).toEqual(['digest']);
  });

  it("G5: a parent's grant to a person now past the threshold is theirs to confirm: their tick asks them again", () => {
    const digest = purpose({ key: 'digest', doubleOptIn: true });
    const stored = { 'digest:email': { state: 'granted' as const, noticeId: 10, lastEventSeq: 41 } };
    const person = { childStatus: { child: true, childUntil: new Date('2026-01-01T00:00:00Z') } };
    const own = planCapture(facts({ offered: [digest], ticked: new Set(['digest']), stored, person }));
    expect(actions(own)).toEqual(['digest:email:granted']);
    const parents = planCapture(
      facts({ offered: [digest], ticked: new Set(['digest']), stored, person, parentGrants: [41] })
    );
    expect(actions(parents)).toEqual(['digest:email:requested']);
  });

  it("G2: a child's own standing grant does not stop their tick from asking a parent; a parent's grant does", () => {
    const children = {
      threshold: { threshold: 16, country: 'DE' },
      status: { child: true, childUntil: new Date('2029-03-01T00:00:00Z') },
      parental: true,
      parentEmail: 'parent@example.com',
    };
    const stored = { 'offers:email': { state: 'granted' as const, noticeId: 10, lastEventSeq: 41 } };
    const person = { childStatus: children.status };
    const own = planCapture(facts({ offered: [offers], ticked: new Set(['offers']), children, stored, person }));
    expect(actions(own)).toEqual(['offers:email:requested']);
    expect(own.parental?.purposes.map((p) => p.purpose)).toEqual(['offers']);
    expect(own.states).toEqual({ offers: 'pending' });
    const parents = planCapture(
      facts({ offered: [offers], ticked: new Set(['offers']), children, stored, person, parentGrants: [41] })
    );
    expect(actions(parents)).toEqual([]);
    expect(parents.parental).toBeNull();
    expect(parents.states).toEqual({ offers: 'granted' });
  });

  it("G1, G2, G4: a child's tick waits for a parent: no confirmation mail, a request to the parent, the age gate's outcome on every event", () => {
    const children = {
      threshold: { threshold: 16, country: 'DE' },
      status: { child: true, childUntil: new Date('2029-03-01T00:00:00Z') },
      parental: true,
      parentEmail: 'parent@example.com',
    };
    const d = planCapture(facts({ offered: [offers, tracking], ticked: new Set(['offers']), children }));
    expect(actions(d)).toEqual(['offers:email:requested', 'tracking:web:refused']);
    expect(d.confirmation).toBeNull();
    expect(d.parental).toEqual({
      parentEmail: 'parent@example.com',
      threshold: 16,
      country: 'DE',
      purposes: [
        {
          purpose: 'offers',
          channels: ['email'],
          noticeId: 10,
          noticeVersion: 2,
          noticeHash: 'hash-10',
          noticeLanguage: 'en',
        },
      ],
    });
    const ageCheck = { child: true, reachesThresholdOn: '2029-03-01', threshold: 16, country: 'DE' };
    const events = withLinks(d.events, { doubleOptIn: null, parentalConsent: LINKS.parentalConsent }, children);
    expect(events.map((e) => e.evidence)).toEqual([{ ageCheck, parentalConsent: LINKS.parentalConsent }, { ageCheck }]);
    // The outcome, never the age itself.
    expect(JSON.stringify(events)).not.toMatch(/"age"|birthYear/);
  });

  it("C3: an opt-out purpose shown for the first time records `informed` with the balancing test, next to the hook's evidence; it decides no state", () => {
    const evidence = { entry: { handler: 'api::order.order.create', documentId: 'd1', id: 1 } };
    const d = planCapture(facts({ offered: [postal], evidence }));
    expect(actions(d)).toEqual(['postal:postal:informed']);
    expect(d.events[0].evidence).toEqual({ ...evidence, balancingTest: 'https://example.com/lia' });
    expect(d.receiptPurposes[0]).toMatchObject({ key: 'postal', decision: 'unchanged', state: 'none', method: null });
  });

  it('F1: the GPC signal objects to a purpose on no form, by the signal; the receipt lists it', () => {
    const d = planCapture(facts({ gpc: true, gpcPurposes: [tracking], ticked: new Set(['newsletter']) }));
    expect(actions(d)).toEqual(['newsletter:email:granted', 'tracking:web:objected']);
    expect(d.events[1]).toMatchObject({ actor: 'signal', method: 'signal', noticeId: null });
    expect(d.receiptPurposes.map((p) => [p.key, p.method])).toEqual([
      ['newsletter', 'form'],
      ['tracking', 'signal'],
    ]);
  });

  it('is pure: the same facts give the same decision, and the facts are left as they were', () => {
    const f = facts({ offered: [offers, postal], ticked: new Set(['offers']) });
    const before = JSON.stringify([...f.submission.ticked, ...f.submission.notices]);
    expect(planCapture(f)).toEqual(planCapture(f));
    expect(JSON.stringify([...f.submission.ticked, ...f.submission.notices])).toBe(before);
  });
});
