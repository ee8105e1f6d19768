import type { ErrorBody, OutdatedNotice } from './types';

/** Any answer that is not 2xx, with Strapi's error name and details; status 0 when the network failed. */
export class ConsentApiError extends Error {
  readonly status: number;
  readonly details: unknown;

  constructor(status: number, name: string, message: string, details: unknown) {
    super(message);
    this.name = name;
    this.status = status;
    this.details = details;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * One JSON call. `credentials: 'omit'`: the consent routes need no cookie, and a cookie the server might set
 * is never stored before consent (K1).
 */
export const requestJson = async <T>(fetchImpl: FetchLike, url: string, init: RequestInit = {}): Promise<T> => {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      ...init,
      credentials: 'omit',
      headers: { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    throw new ConsentApiError(0, 'NetworkError', (error as Error)?.message ?? 'network error', null);
  }
  const body = (await res.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
  if (res.ok && body) return body;
  const error = body?.error;
  throw new ConsentApiError(
    res.status,
    error?.name ?? 'HttpError',
    error?.message ?? res.statusText,
    error?.details ?? null
  );
};

/**
 * A 400's `details.errors[]` as field path → first message. Strapi sends paths as arrays
 * (`["subject", "email"]`), some errors as dotted strings: both become "subject.email".
 */
export const fieldErrorsOf = (details: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  const list = (details as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(list)) return out;
  for (const item of list as { path?: unknown; message?: unknown }[]) {
    const path = Array.isArray(item?.path) ? item.path.join('.') : String(item?.path ?? '');
    if (!(path in out)) out[path] = String(item?.message ?? '');
  }
  return out;
};

/** A 409 `NoticeOutdated`'s `details.outdated[]`. */
export const outdatedOf = (details: unknown): OutdatedNotice[] => {
  const list = (details as { outdated?: unknown } | null)?.outdated;
  return Array.isArray(list) ? (list as OutdatedNotice[]) : [];
};
