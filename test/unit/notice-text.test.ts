/** The A7 checklist and the withdrawal sentence (A7), as pure functions. */
import { missingInformation } from '../../server/src/domain/a7-checklist';
import { noticeHash } from '../../server/src/domain/notice-text';
import { standardWithdrawalText, withdrawalTextFor } from '../../server/src/domain/withdrawal-text';

const controller = { name: 'Example SAS', address: 'Paris', contact: 'dpo@example.com' };
const notice = {
  purpose: 'newsletter',
  language: 'en',
  version: 1,
  title: 'Newsletter',
  body: 'Monthly news by email.',
  dataCategories: ['email address'],
  recipients: [],
  privacyPolicyUrl: 'https://example.com/privacy',
};

describe('missingInformation (A7)', () => {
  it('is empty for a complete notice', () => {
    expect(missingInformation(notice, 'consent', controller)).toEqual([]);
  });
  it('needs the controller identity from configuration', () => {
    expect(missingInformation(notice, 'consent', { name: '', address: '', contact: '' })).toEqual(['controller']);
    expect(missingInformation(notice, 'consent', { name: 'X', address: '', contact: '' })).toEqual(['controller']);
  });
  it('treats a missing recipients list as missing, and an empty one as "none"', () => {
    expect(missingInformation({ ...notice, recipients: null }, 'consent', controller)).toEqual(['recipients']);
  });
  it('needs no withdrawal sentence for contract or legal obligation', () => {
    expect(missingInformation({ ...notice, language: 'it' }, 'contract', controller)).toEqual([]);
    expect(missingInformation({ ...notice, language: 'it' }, 'consent', controller)).toEqual(['rightToWithdraw']);
  });
});

describe('withdrawal sentence', () => {
  it('is the withdrawal right for consent and the objection right for legitimate interest', () => {
    expect(standardWithdrawalText('fr', 'consent')).toMatch(/retirer votre consentement/);
    expect(standardWithdrawalText('fr', 'legitimate-interest')).toMatch(/vous opposer/);
    expect(standardWithdrawalText('de-CH', 'consent')).toMatch(/widerrufen/);
  });
  it("prefers the editor's own sentence", () => {
    expect(withdrawalTextFor({ language: 'en', withdrawalText: 'Unsubscribe any time.' }, 'consent')).toBe(
      'Unsubscribe any time.'
    );
    expect(withdrawalTextFor({ language: 'en', withdrawalText: '  ' }, 'consent')).toMatch(/withdraw your consent/);
  });
});

describe('noticeHash (A9)', () => {
  it('changes with the words, the controller or the legal basis, not with key order', () => {
    const base = noticeHash(notice, 'consent', controller);
    expect(noticeHash({ ...notice, body: 'Weekly news by email.' }, 'consent', controller)).not.toBe(base);
    expect(noticeHash(notice, 'consent', { ...controller, name: 'Other SAS' })).not.toBe(base);
    expect(noticeHash(notice, 'legitimate-interest', controller)).not.toBe(base);
    const reordered = Object.fromEntries(Object.entries(notice).reverse()) as typeof notice;
    expect(noticeHash(reordered, 'consent', controller)).toBe(base);
  });
});
