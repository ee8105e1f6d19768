/**
 * A strict reader of small `multipart/form-data` bodies with text fields only (RFC 7578): what a mail
 * client's RFC 8058 one-click POST sends. Anything else is refused with a reason instead of being guessed
 * at: Strapi's parser (formidable) answers 500 for a missing or absent boundary and waits forever for a
 * part whose line breaks are bare `\n`, because it only ever looks for CRLF.
 */
export class MultipartError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 | 415 = 400
  ) {
    super(message);
  }
}

// RFC 2046 §5.1.1: 1 to 70 characters from this set, not ending in a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const MAX_PARTS = 20;
const CRLF = '\r\n';

/** The boundary of a `multipart/form-data` Content-Type, or a MultipartError naming what is wrong. */
export const boundaryOf = (contentType: string): string => {
  const match = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new MultipartError('multipart/form-data needs a boundary parameter in Content-Type');
  if (!BOUNDARY.test(boundary))
    throw new MultipartError('The multipart boundary must be 1 to 70 characters allowed by RFC 2046');
  return boundary;
};

const fieldName = (headers: string[]): string => {
  let name: string | undefined;
  for (const line of headers) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new MultipartError('A part header is not "Name: value"');
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1);
    if (header === 'content-disposition') {
      if (!/^\s*form-data\s*(;|$)/i.test(value)) throw new MultipartError('A part is not form-data');
      if (/;\s*filename\*?=/i.test(value)) throw new MultipartError('Files are not accepted on this route', 415);
      name = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? /;\s*name=([^;\s"]+)/i.exec(value)?.[1];
    } else if (header === 'content-type' && !/^\s*text\/plain\s*(;|$)/i.test(value)) {
      throw new MultipartError('Only text fields are accepted on this route', 415);
    }
  }
  if (!name) throw new MultipartError('A part has no Content-Disposition form-data name');
  return name;
};

/**
 * The fields of a complete body. Every line break must be CRLF, the body must end with the closing
 * delimiter, and a field given twice is kept as a list (the route's validation then names it).
 */
export const parseMultipart = (body: string, boundary: string): Record<string, string | string[]> => {
  const delimiter = `--${boundary}`;
  const first = body.startsWith(delimiter) ? 0 : body.indexOf(CRLF + delimiter);
  if (first < 0) throw new MultipartError('The multipart boundary does not occur in the body');
  const fields: Record<string, string | string[]> = {};
  let at = first + (first === 0 ? 0 : CRLF.length) + delimiter.length;
  for (let parts = 0; ; parts += 1) {
    // After a delimiter: `--` closes the body, CRLF opens a part; RFC 2046 allows trailing blanks.
    while (body[at] === ' ' || body[at] === '\t') at += 1;
    if (body.startsWith('--', at)) return fields;
    if (!body.startsWith(CRLF, at)) {
      throw new MultipartError(
        at >= body.length ? 'The multipart body ends before its closing boundary' : 'Multipart line breaks must be CRLF'
      );
    }
    if (parts === MAX_PARTS) throw new MultipartError(`A multipart body holds at most ${MAX_PARTS} fields`);
    const headersEnd = body.indexOf(CRLF + CRLF, at + CRLF.length);
    const next = body.indexOf(CRLF + delimiter, at + CRLF.length);
    if (next < 0) throw new MultipartError('The multipart body ends before its closing boundary');
    if (headersEnd < 0 || headersEnd > next)
      throw new MultipartError('A part has no blank line between its headers and its value');
    const headerText = body.slice(at + CRLF.length, headersEnd);
    // A bare CR or LF inside a header would let one header smuggle another.
    const headers = headerText.split(CRLF);
    if (headers.some((line) => /[\r\n]/.test(line))) throw new MultipartError('A part header contains a line break');
    const name = fieldName(headers);
    if (name === '__proto__' || name === 'constructor' || name === 'prototype')
      throw new MultipartError(`The field name "${name}" is not allowed`);
    const value = body.slice(headersEnd + 2 * CRLF.length, next);
    const seen = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    at = next + CRLF.length + delimiter.length;
  }
};
