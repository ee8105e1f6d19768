import type { LedgerEvent, SubjectRecord } from '../../../shared/contracts/records';
import { iso, json, num } from './row-values';

/** A `consent_events` row (as the query engine returns it) in the form every reader answers. */
export const toLedgerEvent = (r: Record<string, any>): LedgerEvent => ({
  seq: Number(r.seq),
  eventId: r.eventId,
  occurredAt: iso(r.occurredAt)!,
  subject: r.subject,
  purpose: r.purpose,
  channel: r.channel,
  action: r.action,
  state: r.state,
  method: r.method,
  legalBasis: r.legalBasis,
  actor: r.actor,
  noticeId: num(r.noticeId),
  noticeVersion: num(r.noticeVersion),
  noticeHash: r.noticeHash ?? null,
  noticeLocale: r.noticeLanguage ?? null,
  formKey: r.formKey ?? null,
  pageUrl: r.pageUrl ?? null,
  receiptId: r.receiptId ?? null,
  context: json(r.context),
  evidence: json(r.evidence),
  prevHash: r.prevHash,
  hash: r.hash,
});

/** A `consent_subjects` row as admins and the person's own export show it (identifiers null once erased). */
export const toSubjectRecord = (r: Record<string, any>): SubjectRecord => ({
  pseudonym: r.pseudonym,
  email: r.email ?? null,
  phone: r.phone ?? null,
  externalId: r.externalId ?? null,
  language: r.language ?? null,
  audience: r.audience ?? null,
  jurisdiction: r.jurisdiction ?? null,
  // SQLite and MySQL answer booleans as 0/1.
  child: r.child === true || r.child === 1 || r.child === '1',
  childUntil: iso(r.childUntil),
  createdAt: iso(r.createdAt),
  erasedAt: iso(r.erasedAt),
});
