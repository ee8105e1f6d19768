/**
 * The fast reader of PostgreSQL timestamps (database/row-arrays.ts) must give exactly the Date the pg
 * driver's own parser gives, in any time zone the server runs in: audiences and the ledger verification
 * judge and hash what it returns. Each zone runs in a Node process of its own (TZ is read at start; Jest's
 * `process.env` is a copy), given the function's source.
 */
import { execFileSync } from 'node:child_process';
import { parsePgTimestamp, pgTypesOf } from '../../server/src/database/row-arrays';

const EDGES = [
  '2026-03-29 02:30:00', // inside Europe's spring-forward gap
  '2026-10-25 02:30:00.5', // inside the autumn overlap
  '2026-12-31 23:59:59.999999',
  '2000-02-29 00:00:00.000001',
  '1970-01-01 00:00:00',
  '0099-05-01 12:00:00', // the odd shapes from here on go to the driver's parser
  '0044-03-15 12:00:00 BC',
  'infinity',
  '-infinity',
  '12026-01-01 00:00:00',
  '2026-01-01T00:00:00',
  '2026-01-01 00:00:00+02',
];

/** In the child: 3,000 texts as PostgreSQL prints a `timestamp(6)` (ISO DateStyle), then the edges. */
const CHILD = `
const driverParser = require('pg').types.getTypeParser(1114, 'text');
let fallbacks = 0;
const parse = (${parsePgTimestamp.toString()})((text) => { fallbacks++; return driverParser(text); });
const pad = (n, w) => String(n).padStart(w, '0');
let seed = 42;
const next = (max) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % max; };
const texts = [];
for (let i = 0; i < 3000; i++) {
  let t = pad(1000 + next(9000), 4) + '-' + pad(1 + next(12), 2) + '-' + pad(1 + next(28), 2) + ' ' +
    pad(next(24), 2) + ':' + pad(next(60), 2) + ':' + pad(next(60), 2);
  const digits = next(7);
  if (digits > 0) t += '.' + pad(next(10 ** digits), digits);
  texts.push(t);
}
texts.push(...${JSON.stringify(EDGES)});
const same = (a, b) => a instanceof Date && b instanceof Date ? Object.is(a.getTime(), b.getTime()) : Object.is(a, b);
const differ = texts.filter((t) => !same(parse(t), driverParser(t)));
console.log(JSON.stringify({ differ, fallbacks, offset: new Date(2026, 6, 1, 12).getTimezoneOffset() }));
`;

describe('parsePgTimestamp (issue 21: audience export and verification on PostgreSQL)', () => {
  const offsets: Record<string, number> = {
    UTC: 0,
    'Europe/Paris': -120,
    'America/St_Johns': 150,
    'Pacific/Kiritimati': -840,
  };
  for (const [tz, offset] of Object.entries(offsets)) {
    it(`gives the driver's Date for every text in ${tz}`, () => {
      const out = JSON.parse(
        execFileSync(process.execPath, ['-e', CHILD], { env: { ...process.env, TZ: tz }, encoding: 'utf8' })
      );
      expect(out.differ).toEqual([]);
      // Not a trivial pass: the zone applies, and the fast path answered all but the seven odd shapes.
      expect(out.offset).toBe(offset);
      expect(out.fallbacks).toBe(7);
    });
  }
});

describe('pgTypesOf: the fast parser only stands in for a driver parser that gives the same Dates', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pgTypes = require('pg').types;

  it("replaces pg's default timestamp parser and leaves every other type to the driver", () => {
    const types = pgTypesOf(pgTypes);
    expect(types.getTypeParser(1114, 'text')).not.toBe(pgTypes.getTypeParser(1114, 'text'));
    expect(types.getTypeParser(1184, 'text')).toBe(pgTypes.getTypeParser(1184, 'text'));
    expect(types.getTypeParser(23, 'text')).toBe(pgTypes.getTypeParser(23, 'text'));
  });

  it('keeps an app’s own timestamp parser (timestamps kept as text, here)', () => {
    const asText = (text: string) => text;
    const custom = {
      getTypeParser: (oid: number, format?: string) => (oid === 1114 ? asText : pgTypes.getTypeParser(oid, format)),
    };
    expect(pgTypesOf(custom).getTypeParser(1114, 'text')).toBe(asText);
    expect(pgTypesOf(custom).getTypeParser(1114, 'text')('2026-07-01 12:00:00')).toBe('2026-07-01 12:00:00');
  });
});
