/**
 * The words around the notices, in the languages the plugin ships (client/src/labels.ts): the admin's
 * preview and the public forms take them from here, so they cannot drift apart (issue 17 point 4).
 */
import { defaultLabels, labelsFor } from '../../client/src/labels';
import { purposeView } from '../../client/src/view';
// The playground's no-JavaScript demo form, the page a visitor of the playground sees.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { labels: demo } = require('../../playground/src/demo-page');

describe('labelsFor', () => {
  it('C3: the objection wording before a legitimate-interest box is in the visitor’s language', () => {
    expect(labelsFor('en').object).toBe('I object:');
    expect(labelsFor('de').object).toBe('Ich widerspreche:');
    expect(labelsFor('fr').object).toBe('Je m’oppose :');
  });

  it('A8: a regional locale reads its language; an unknown one reads English', () => {
    expect(labelsFor('de-AT')).toBe(labelsFor('de'));
    expect(labelsFor('it')).toBe(defaultLabels);
  });

  it.each(['en', 'de', 'fr'])('A8: %s says what the playground’s demo form says', (locale) => {
    const words = labelsFor(locale);
    const page = demo[locale];
    expect({
      object: words.object,
      data: words.data,
      recipients: words.recipients,
      colon: words.colon,
      policy: words.policy,
      submit: words.submit,
      email: words.email,
    }).toEqual({
      object: page.object,
      data: page.data,
      recipients: page.recipients,
      colon: page.colon,
      policy: page.policy,
      submit: page.submit,
      email: page.email,
    });
  });

  it('A8: a label and what it names are set apart as the language writes it (French: a no-break space)', () => {
    const purpose = {
      key: 'newsletter',
      channels: ['email'],
      mechanism: 'opt-in',
      notice: { title: 'T', body: 'B', dataCategories: ['adresse e-mail'], recipients: ['Example Bank SA'] },
    };
    const view = (locale: string) =>
      purposeView(
        { changed: [], choices: {}, channelChoices: {}, fieldErrors: {} } as any,
        purpose as any,
        labelsFor(locale)
      );
    expect(view('fr').data).toBe('Données\u00a0: adresse e-mail');
    expect(view('fr').recipients).toBe('Destinataires\u00a0: Example Bank SA');
    expect(view('en').data).toBe('Data: adresse e-mail');
    expect(view('de').recipients).toBe('Empfänger: Example Bank SA');
  });
});
