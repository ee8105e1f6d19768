import { useCallback, useEffect, useState } from 'react';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';

/** Field errors by path ("channels", "translations.de.name") from Strapi's ValidationError details. */
export type FieldErrors = Record<string, string>;

interface ApiErrorBody {
  error?: { message?: string; details?: { errors?: Array<{ path?: unknown; message?: unknown }> } };
}

/**
 * The one shape every refusal naming fields has, admin or public, 400 or 409 (server/src/errors.ts
 * `fieldErrors`): Strapi's `details.errors[]`, each a `path` (an array; a dotted string is read too) and a
 * `message`.
 */
export const fieldErrorsOf = (error: unknown): FieldErrors => {
  const list = (error as { response?: { data?: ApiErrorBody } })?.response?.data?.error?.details?.errors;
  const out: FieldErrors = {};
  for (const e of Array.isArray(list) ? list : []) {
    const path = Array.isArray(e?.path) ? e.path.join('.') : typeof e?.path === 'string' ? e.path : '';
    if (typeof e?.message === 'string') out[path] = e.message;
  }
  return out;
};

export const messageOf = (error: unknown): string =>
  (error as { response?: { data?: ApiErrorBody } })?.response?.data?.error?.message ??
  (error as Error)?.message ??
  'Request failed';

/** Loads `url` once and on `reload()`; `data` stays null until the first answer. */
export const useResource = <T>(url: string | null) => {
  const { get } = useFetchClient();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!url) return;
    let cancelled = false;
    get<{ data: T }>(url)
      .then((res) => !cancelled && (setData(res.data.data), setError(null)))
      .catch((e) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [get, url, version]);

  return { data, error, reload: useCallback(() => setVersion((v) => v + 1), []) };
};

/**
 * Runs a write, reports failure as a notification, and returns the field errors for the form. With
 * `describe`, a refusal that names fields is announced in the editor's words (the fields' labels, in the
 * admin's language) instead of the API's message, which quotes field paths; the field errors stay inline.
 */
export const useMutation = (describe?: (fieldErrors: FieldErrors) => string | null) => {
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  return useCallback(
    async <T>(
      method: 'post' | 'put' | 'del',
      url: string,
      body?: unknown
    ): Promise<{ data?: T; fieldErrors: FieldErrors }> => {
      try {
        const res =
          method === 'del' ? await client.del<{ data: T }>(url) : await client[method]<{ data: T }>(url, body ?? {});
        return { data: res.data.data, fieldErrors: {} };
      } catch (error) {
        const fieldErrors = fieldErrorsOf(error);
        const described = describe && Object.keys(fieldErrors).length ? describe(fieldErrors) : null;
        toggleNotification({ type: 'danger', message: described ?? messageOf(error) });
        return { fieldErrors };
      }
    },
    [client, toggleNotification, describe]
  );
};
