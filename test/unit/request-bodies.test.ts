/**
 * The plugin's own readers of request bodies (issue 20, spec 4: bad input is a 4xx, never a 500 or a
 * request left hanging): the nesting limit, the strict multipart reader of the one-click route (E3,
 * RFC 8058) and the redaction of identifiers from log lines.
 */
import { MAX_BODY_DEPTH, nestsDeeperThan, rejectDeepBody } from '../../server/src/utils/body-depth';
import { boundaryOf, MultipartError, parseMultipart } from '../../server/src/utils/multipart';
import { redactIdentifiers } from '../../server/src/utils/redact';

const nested = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('body depth', () => {
  it('spec 4: counts objects and arrays, not scalars', () => {
    expect(nestsDeeperThan({ a: { b: [1] } }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: { b: [[1]] } }, 3)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it(`spec 4: ${MAX_BODY_DEPTH} levels pass, one more is a ValidationError that does not repeat the body`, () => {
    expect(() => rejectDeepBody(nested(MAX_BODY_DEPTH))).not.toThrow();
    expect(() => rejectDeepBody(nested(MAX_BODY_DEPTH + 1))).toThrow(/too deeply nested/);
  });

  it('spec 4: 4,000 levels (8 kB of brackets) are measured without overflowing the stack', () => {
    const body = { form: 'signup', fields: nested(4000) };
    let message = '';
    try {
      rejectDeepBody(body);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/too deeply nested/);
    expect(message.length).toBeLessThan(100);
  });
});

describe('multipart (E3: RFC 8058 one-click bodies)', () => {
  const B = 'XyZ';
  const part = (name: string, value: string, eol = '\r\n') =>
    `--${B}${eol}Content-Disposition: form-data; name="${name}"${eol}${eol}${value}${eol}`;

  it('E3: reads the one-click field', () => {
    expect(parseMultipart(`${part('List-Unsubscribe', 'One-Click')}--${B}--\r\n`, B)).toEqual({
      'List-Unsubscribe': 'One-Click',
    });
  });

  it('E3: a preamble, a quoted boundary and a field given twice (kept as a list)', () => {
    expect(boundaryOf('multipart/form-data; boundary="a b:c"')).toBe('a b:c');
    expect(parseMultipart(`ignored\r\n${part('x', '1')}${part('x', '2')}--${B}--`, B)).toEqual({ x: ['1', '2'] });
  });

  it.each([
    ['no boundary parameter', () => boundaryOf('multipart/form-data'), /needs a boundary/],
    ['an empty boundary', () => boundaryOf('multipart/form-data; boundary='), /needs a boundary/],
    ['a boundary of 71 characters', () => boundaryOf(`multipart/form-data; boundary=${'b'.repeat(71)}`), /1 to 70/],
    ['a boundary absent from the body', () => parseMultipart(part('a', '1').replace(B, 'other'), B), /does not occur/],
    [
      'a body cut short (no closing delimiter)',
      () => parseMultipart(part('List-Unsubscribe', 'One-Click'), B),
      /ends before its closing boundary/,
    ],
    [
      'a body cut inside a part',
      () => parseMultipart(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\nOne-Cl`, B),
      /ends before its closing boundary/,
    ],
    ['bare \\n line breaks', () => parseMultipart(`${part('a', '1', '\n')}--${B}--\n`, B), /must be CRLF/],
    [
      'a line break inside a part header',
      () => parseMultipart(`--${B}\r\nContent-Disposition: form-data;\n name="a"\r\n\r\n1\r\n--${B}--`, B),
      /header contains a line break/,
    ],
    [
      'a part without a name',
      () => parseMultipart(`--${B}\r\nContent-Disposition: form-data\r\n\r\n1\r\n--${B}--`, B),
      /no Content-Disposition form-data name/,
    ],
    [
      'a part without a blank line',
      () => parseMultipart(`--${B}\r\nContent-Disposition: form-data; name="a"\r\n--${B}--`, B),
      /no blank line/,
    ],
    ['a "__proto__" field', () => parseMultipart(`${part('__proto__', '1')}--${B}--`, B), /not allowed/],
    [
      '21 fields',
      () => parseMultipart(`${Array.from({ length: 21 }, (_, i) => part(`f${i}`, '1')).join('')}--${B}--`, B),
      /at most 20/,
    ],
  ])('spec 4: %s → 400', (_, run, message) => {
    expect(run).toThrow(MultipartError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as MultipartError).status).toBe(400);
    }
  });

  it('spec 4: a file part → 415', () => {
    const body = `--${B}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nhello\r\n--${B}--`;
    expect(() => parseMultipart(body, B)).toThrow(expect.objectContaining({ status: 415 }));
  });
});

describe('log lines without identifiers', () => {
  it('replaces email addresses and phone numbers, keeps the rest', () => {
    const line =
      "Can't send mail - all recipients were rejected: 550 5.1.1 <ada.l+news@example.co.uk>: unknown; call +33 6 12 34 56 78";
    expect(redactIdentifiers(line)).toBe(
      "Can't send mail - all recipients were rejected: 550 5.1.1 <[email]>: unknown; call [phone]"
    );
    expect(redactIdentifiers('subject 3f2504e0-4f89-41d3-9a0c-0305e82c3301 erased (12 events)')).toBe(
      'subject 3f2504e0-4f89-41d3-9a0c-0305e82c3301 erased (12 events)'
    );
  });
});
