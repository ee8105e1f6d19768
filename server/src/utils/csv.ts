/**
 * CSV as the plugin writes it (audiences, the ledger export): RFC 4180, and safe to open in a spreadsheet.
 *
 * Cells come from people (an address `=HYPERLINK(…)@example.com` is valid, external ids and page URLs
 * are free text), and the files are meant to be opened in Excel, LibreOffice or Google Sheets, which run
 * a cell starting with `=`, `+`, `-` or `@` as a formula (tab and CR start one too in some of them). Such
 * a cell gets a leading `'`, which every spreadsheet reads as "this is text" (OWASP, CSV injection).
 *
 * A plain number is left alone: no spreadsheet runs it as a formula, and the audience's `phone` column is
 * E.164 (`+33612345678`), which SMS back ends read from the file as it is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A cell as text: a formula-looking value neutralised, then quoted when it holds a comma, quote, CR or LF. */
export const csvField = (value: unknown): string => {
  let s = value == null ? '' : String(value);
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One record; RFC 4180 records end with CRLF. */
export const csvRow = (fields: readonly unknown[]): string => `${fields.map(csvField).join(',')}\r\n`;
