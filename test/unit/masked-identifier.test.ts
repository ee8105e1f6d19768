import { maskEmail, maskedIdentifiers, maskPhone } from '../../server/src/domain/masked-identifier';

describe('the address a preference page shows (D5)', () => {
  it('D5: an email keeps its first character and its domain', () => {
    expect(maskEmail('ada.lovelace@example.com')).toBe('a***@example.com');
    expect(maskEmail('b@example.org')).toBe('b***@example.org');
  });

  it('D5: a French mobile keeps the country code, the first digit and the last two', () => {
    expect(maskPhone('+33612345678')).toBe('+33 6** ** ** 78');
  });

  it('D5: other numbering plans are hidden the same way, whatever their length', () => {
    expect(maskPhone('+4915112345678')).toBe('+49 1** ** ** ** 78');
    expect(maskPhone('+14155550123')).toBe('+1 4* ** ** ** 23');
  });

  it('D5: nothing of the hidden part shows', () => {
    const shown = maskedIdentifiers({ email: 'ada.lovelace@example.com', phone: '+33612345678' });
    expect(shown).toEqual(['a***@example.com', '+33 6** ** ** 78']);
    expect(shown.join(' ')).not.toMatch(/lovelace|1234|3456/);
  });

  it('D5: a person known only by an external id shows no address', () => {
    expect(maskedIdentifiers({ email: null, phone: null })).toEqual([]);
  });
});
