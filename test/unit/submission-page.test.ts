import { submissionAcceptedPage } from '../../server/src/hosted-pages/submission';

describe('the hosted thanks page labels its receipt in the visitor’s typography', () => {
  it.each([
    ['en', 'Receipt: <code>'],
    ['de', 'Beleg: <code>'],
    ['fr', 'Reçu\u00a0: <code>'], // French: a no-break space before the colon
  ] as const)('%s', (locale, label) => {
    const html = String(submissionAcceptedPage(locale, 'rcpt-1', { newsletter: 'granted' }));
    expect(html).toContain(`${label}rcpt-1</code>`);
  });
});
