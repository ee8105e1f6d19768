import { errors } from '@strapi/utils';

/**
 * HTTP errors that `@strapi/utils` has no class for (409, 410). Strapi's error middleware answers an
 * `errors.HttpError` with its status and the standard body `{ data: null, error: { status, name, message,
 * details } }` without logging it as a server error. That class is abstract (its constructor throws), so
 * these extend Error and take HttpError's prototype in their chain.
 */
class StatusError extends Error {
  readonly status: number;
  readonly expose = true;
  readonly details: Record<string, unknown>;

  constructor(status: number, name: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.name = name;
    this.details = details;
  }
}

Object.setPrototypeOf(StatusError.prototype, errors.HttpError.prototype);

/**
 * 409: the request is valid but contradicts the current state (a used key, a published notice …). One
 * that names its `field` names it in `errors[]` too, the shape of every field error (`fieldErrors`).
 */
export class ConflictError extends StatusError {
  constructor(message: string, details: Record<string, unknown> = {}, name = 'ConflictError') {
    const { field } = details;
    super(
      409,
      name,
      message,
      typeof field === 'string' && !('errors' in details) ? fieldErrors([{ path: field, message }], details) : details
    );
  }
}

/** 410: a link or token that was valid once and has expired. */
export class GoneError extends StatusError {
  constructor(message: string, details: Record<string, unknown> = {}, name = 'GoneError') {
    super(410, name, message, details);
  }
}

/** 415: a body in a format (or encoding) the route does not read. */
export class UnsupportedMediaTypeError extends StatusError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(415, 'UnsupportedMediaTypeError', message, details);
  }
}

/**
 * 403 for a request the plugin refuses on its own grounds (an Origin a form does not allow). Not
 * `errors.ForbiddenError`: Strapi's route authorisation replaces that one's message with a bare
 * "Forbidden", and the client needs to know why.
 */
export class ForbiddenRequestError extends StatusError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(403, 'ForbiddenError', message, details);
  }
}

/** 408: the body did not arrive in time (`http.bodyTimeoutMs`); the connection is closed after the answer. */
export class RequestTimeoutError extends StatusError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(408, 'RequestTimeoutError', message, details);
  }
}

/**
 * 503: the instance is shutting down (SIGTERM) and takes no new work; nothing of the request was written.
 * `retryAfterSeconds` is sent as `Retry-After` (middlewares/shutdown-gate): another instance, or this one
 * restarted, will take it.
 */
export class ServiceUnavailableError extends StatusError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(503, 'ServiceUnavailableError', message, details);
  }
}

/** What a request refused at shutdown is told to wait: long enough for a load balancer to stop sending here. */
export const RETRY_AFTER_SECONDS = 5;

/** The one answer to work that arrives while the instance shuts down (the gate, the group commit). */
export const shuttingDown = () =>
  new ServiceUnavailableError('The server is shutting down: send the request again', {
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });

/**
 * The one shape of field errors in every refusal that names fields (400s, and the 409s of a field that
 * cannot take that value): Strapi's, which its yup validation produces, `details.errors[]` of
 * `{ path: string[], message }`; the admin reads only that. `extra` keeps a route's documented details
 * beside it (a notice's `missing`, a conflict's `field`).
 */
export const fieldErrors = (
  fields: { path: string | (string | number)[]; message: string }[],
  extra: Record<string, unknown> = {}
) => ({
  ...extra,
  errors: fields.map(({ path, message }) => ({
    path: Array.isArray(path) ? path.map(String) : path ? path.split('.') : [],
    message,
  })),
});
