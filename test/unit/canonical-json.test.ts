import { canonicalJson, sha256Hex } from '../../server/src/utils/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":null,"z":true}]},"b":1}'
    );
  });

  it('normalises strings to NFC, so composed and decomposed text hash the same', () => {
    const composed = 'Einwilligung für Ä';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(sha256Hex(canonicalJson({ t: decomposed }))).toBe(sha256Hex(canonicalJson({ t: composed })));
  });

  it('refuses values it cannot represent exactly', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow();
  });

  it('hashes the canonical text with SHA-256 (value computed independently with sha256sum)', () => {
    expect(sha256Hex(canonicalJson({ c: [1, 2], a: 'b' }))).toBe(
      'eec6bbd268270c77db9f61fdca6360ec650c2540f9a9d7dd050969ce062083c6'
    );
  });
});
