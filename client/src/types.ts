/**
 * The request and response types of the public routes a front end calls, from the same contracts the
 * server is written against (shared/contracts), so a TypeScript front end and the server cannot drift.
 */
import type { GetPublicForm } from '../../shared/contracts/forms';
import type { CreateSubmission } from '../../shared/contracts/submissions';

export type { GetPublicForm, PublicNotice, PublicPurpose } from '../../shared/contracts/forms';
export type { CreateSubmission, Receipt, ReceiptDecision } from '../../shared/contracts/submissions';
export type { Audience, Channel, ConsentState, LegalBasis } from '../../shared/contracts/domain';

/** `GET /api/consent/forms/:key`: the form as the server defines it for rendering. */
export type FormDefinition = GetPublicForm.Response['data'];

/** `POST /api/consent/submissions`: the body the client sends. */
export type SubmissionBody = CreateSubmission.Request['body'];

/** Who the person is: at least one identifier. */
export type Subject = SubmissionBody['subject'];

/** A 201 answer: the signed receipt, the state of each purpose, and whether a confirmation mail went out. */
export type SubmissionResult = CreateSubmission.Response['data'] & { confirmation?: { mailSent: boolean } };

/** `POST /api/consent/withdrawals`: withdrawal or objection by identifier alone (always 202). */
export declare namespace CreateWithdrawal {
  export interface Request {
    body: {
      subject: { email?: string; phone?: string; externalId?: string };
      purposes: string[] | 'all';
      channel?: string;
    };
  }
  export interface Response {
    data: { status: 'accepted' };
  }
}

/** One entry of a 409 `NoticeOutdated`: the notice shown and the one now current (null: none any more). */
export interface OutdatedNotice {
  purpose: string;
  shown: { version: number; hash: string };
  current: { id: number; version: number; hash: string; locale: string } | null;
}

/** Strapi's error body, `{ data: null, error }`, for every answer that is not 2xx. */
export interface ErrorBody {
  data: null;
  error: { status: number; name: string; message: string; details?: unknown };
}
