import { csvField, csvRow } from '../../server/src/utils/csv';

describe('csvField: RFC 4180', () => {
  it('quotes a field with a comma, a quote, CR or LF, and nothing else', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('ends a record with CRLF', () => {
    expect(csvRow(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
  });
});

describe('csvField: spreadsheet formulas', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1:A2)', "'+SUM(A1:A2)"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ["=cmd|' /C calc'!A0@example.com", "'=cmd|' /C calc'!A0@example.com"],
  ])('%j becomes text: %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('neutralises before quoting, so the quote lands inside the quoted field', () => {
    expect(csvField('=HYPERLINK("https://evil.example","x")')).toBe('"\'=HYPERLINK(""https://evil.example"",""x"")"');
    expect(csvField('\r=1')).toBe('"\'\r=1"');
  });

  it('leaves plain numbers alone (an E.164 phone, a negative amount): no spreadsheet runs them', () => {
    expect(csvField('+33612345678')).toBe('+33612345678');
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField(-3)).toBe('-3');
  });

  it('leaves a formula character that is not the first one alone', () => {
    expect(csvField('ada@example.com')).toBe('ada@example.com');
    expect(csvField('a=b')).toBe('a=b');
  });
});
