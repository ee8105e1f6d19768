import { closeSync, createReadStream, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { exportVerifier, type ExportProblem, type ExportSummary } from '../domain/export-verification';
import type { Jwk } from '../domain/jws-verify';
import { reportDocument, verifyReport } from '../domain/report-verification';
import { LEDGER_EXPORT_FORMAT } from '../../../shared/contracts/records';

/**
 * `npx strapi-plugin-consent verify <file> [--jwks <jwks.json>] [--report <report.json>]`: checks an NDJSON
 * ledger export, or a compliance report's signature (docs/reports.md), with no Strapi, database or network
 * (docs/operations.md). Built into dist/verify by the
 * package's `./verify` export and run by bin/strapi-plugin-consent.js. Exit 0: everything checked holds;
 * 1: the first bad line is named; 2: the command was used wrongly (unreadable file, bad key set).
 */

const USAGE =
  'usage: strapi-plugin-consent verify <export.ndjson> [--jwks <jwks.json>] [--report <result.json>]\n' +
  '       strapi-plugin-consent verify <compliance-report.json> --jwks <jwks.json> [--report <result.json>]';

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

class UsageError extends Error {}

const parseArgs = (argv: string[]) => {
  const [command, ...rest] = argv;
  if (command !== 'verify') throw new UsageError(command ? `unknown command ${command}` : 'no command');
  let file: string | undefined;
  let jwks: string | undefined;
  let report: string | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    if (arg === '--jwks' || arg === '--report') {
      const value = rest[(i += 1)];
      if (!value) throw new UsageError(`${arg} needs a file`);
      if (arg === '--jwks') jwks = value;
      else report = value;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (file) throw new UsageError(`one export file only (${file}, ${arg})`);
    else file = arg;
  }
  if (!file) throw new UsageError('no export file');
  return { file, jwks, report };
};

/** A JWK set file (`{ keys: [...] }`, as /api/consent/jwks.json serves it) or a single JWK. */
const readKeys = (path: string): Jwk[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the JWK set ${path}: ${(error as Error).message}`);
  }
  const keys = (parsed as { keys?: unknown })?.keys ?? [parsed];
  if (!Array.isArray(keys) || keys.some((k) => !k || typeof k !== 'object' || typeof k.kty !== 'string')) {
    throw new UsageError(`${path} is not a JWK set`);
  }
  return keys as Jwk[];
};

const where = (p: ExportProblem) =>
  `line ${p.line}${p.seq !== null ? ` (event seq ${p.seq}${p.eventId ? `, ${p.eventId}` : ''})` : ''}: ${p.problem}`;

const describeChecks = (s: ExportSummary, ok: boolean): string[] => {
  const h = s.header;
  const scope = !h
    ? 'no header'
    : h.filter === null
      ? 'the whole ledger'
      : `filtered (${Object.entries(h.filter)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')})`;
  const range = s.firstSeq === null ? '' : `, seq ${s.firstSeq}-${s.lastSeq}`;
  // A claim about the whole file only once the whole file held.
  const order = !ok
    ? ', stopped at the first problem'
    : h?.filter === null
      ? ', seqs contiguous from 1 to the head'
      : ', seqs rising (gaps expected in a filtered export)';
  return [
    `export: ${s.events} events${ok ? '' : ' good'}${range}; ${scope}; head seq ${h?.head.seq ?? '?'} hash ${h?.head.hash ?? '?'}`,
    `hash chain: ${s.hashesRecomputed} hashes recomputed, ${s.linksChecked} links checked${order}`,
    s.receiptsChecked
      ? `receipts: ${s.receiptsVerified} signatures verified (${s.eventsWithReceipt} events with a receipt) against ${s.keys} key(s)`
      : `receipts: ${s.eventsWithReceipt} events with a receipt, signatures NOT checked (no --jwks)`,
    // J1: an export made before checkpoints were exported has none; the line says so rather than nothing.
    !h?.checkpoints
      ? 'checkpoints: none in the export'
      : `checkpoints: ${s.checkpoints}, ${
          s.receiptsChecked ? `${s.checkpointSealsVerified} seals verified` : 'seals NOT checked (no --jwks)'
        }, ${s.checkpointsMatched} found at their event in the recomputed chain`,
    // I5: pruned events are checked by their seal, not their hash.
    ...(s.prunedEvents === 0
      ? []
      : [
          s.receiptsChecked
            ? `pruned events: ${s.prunedEvents} (proof period over), ${s.prunedSealsVerified} seals verified`
            : `pruned events: ${s.prunedEvents} (proof period over), seals NOT checked (no --jwks): their remaining fields are unchecked`,
        ]),
  ];
};

// The start of a file, enough for an export's header line.
const PEEK_BYTES = 64 * 1024;
// A report is one JSON document of some megabytes; a file far larger is an export.
const REPORT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The compliance report in `path`, or null when the file is an export (its first line is an export
 * header) or no report at all (then the export check names what is wrong with line 1).
 */
const readReport = (path: string) => {
  const fd = openSync(path, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(PEEK_BYTES);
    head = buffer.subarray(0, readSync(fd, buffer, 0, PEEK_BYTES, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
  // The export writes its format first; a header longer than the peek (many checkpoints) is still known.
  if (head.startsWith(`{"format":${JSON.stringify(LEDGER_EXPORT_FORMAT)}`)) return null;
  try {
    if ((JSON.parse(head.split('\n')[0]) as { format?: unknown })?.format === LEDGER_EXPORT_FORMAT) return null;
  } catch {
    // Not one line of JSON: a pretty-printed report, or a broken export.
  }
  if (!/^\s*\{/.test(head)) return null;
  const text = readFileSync(path);
  if (text.length > REPORT_MAX_BYTES) return null;
  try {
    return reportDocument(JSON.parse(text.toString('utf8')));
  } catch {
    return null;
  }
};

/** R3: a report file's signature against the key set; exit codes as for an export. */
const checkReport = (
  doc: { report: unknown; jws: unknown },
  keys: Jwk[],
  args: { file: string; report?: string },
  output: Output
): number => {
  const result = verifyReport(doc, keys);
  if (args.report)
    writeFileSync(
      args.report,
      `${JSON.stringify({ file: args.file, kind: 'compliance-report', ...result }, null, 2)}\n`
    );
  if (!result.ok) {
    output.err(`FAILED compliance report: ${result.problem}`);
    return 1;
  }
  output.out(
    `compliance report ${result.reportId ?? '?'}${result.period ? `, ${result.period.from} to ${result.period.to}` : ''}`
  );
  output.out(
    `signature: verified with key ${result.kid ?? '(no kid)'} of ${keys.length} key(s); the report in the file is the one signed`
  );
  output.out(`SHA-256 of the signed JSON: ${result.hash} (the PDF states the same)`);
  output.out('OK: the report is genuine and unchanged');
  return 0;
};

export const main = async (argv: string[], output: Output): Promise<number> => {
  let args: ReturnType<typeof parseArgs>;
  let keys: Jwk[] | null;
  try {
    args = parseArgs(argv);
    keys = args.jwks ? readKeys(args.jwks) : null;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`${error.message}\n${USAGE}`);
    return 2;
  }

  let report: ReturnType<typeof readReport>;
  try {
    report = readReport(args.file);
  } catch (error) {
    output.err(`cannot read ${args.file}: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (report) {
    if (!keys) {
      output.err(`a compliance report's signature needs the JWK set: --jwks <jwks.json>\n${USAGE}`);
      return 2;
    }
    return checkReport(report, keys, args, output);
  }

  const verifier = exportVerifier(keys);
  let problem: ExportProblem | null = null;
  const input = createReadStream(args.file, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    output.err(`cannot read ${args.file}: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let n = 0;
  // crlfDelay: a CR LF pair is one line break, whatever the file's line endings.
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    n += 1;
    problem = verifier.line(text, n);
    if (problem) break;
  }
  input.destroy();
  problem ??= verifier.end();

  const summary = verifier.summary();
  for (const line of describeChecks(summary, problem === null)) output.out(line);
  if (args.report) {
    const { header, ...counts } = summary;
    writeFileSync(
      args.report,
      `${JSON.stringify({ ok: problem === null, file: args.file, header, checked: counts, firstProblem: problem }, null, 2)}\n`
    );
  }
  if (problem) {
    output.err(`FAILED ${where(problem)}`);
    return 1;
  }
  output.out('OK: the export is intact' + (summary.receiptsChecked ? ' and every receipt is genuine' : ''));
  return 0;
};

/** The command as the package's bin runs it. */
export const run = (): void => {
  main(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exitCode = 2;
    }
  );
};
