import {
  DEFAULT_TEMPLATES,
  MARKETING_TEMPLATES,
  prefillForMessages,
  renderMail,
} from '../../server/src/domain/mail-templates';
import { missingOptOut, renderMessage } from '../../server/src/domain/message-rules';

describe('D10, I4: the re-permission mail is marketing, sent through the messages service', () => {
  it('D10: every built-in language of a marketing template carries {{link}} and {{unsubscribeUrl}}', () => {
    for (const name of MARKETING_TEMPLATES) {
      for (const [language, template] of Object.entries(DEFAULT_TEMPLATES[name])) {
        expect([language, template.text]).toEqual([language, expect.stringContaining('{{unsubscribeUrl}}')]);
        expect(template.text).toContain('{{link}}');
        // The messages service refuses a template without the opt-out link in both parts (D4).
        expect(missingOptOut(prefillForMessages(template, {}))).toEqual([]);
      }
    }
  });

  it('D4: the HTML part is made from the text, escaped, with every placeholder left for the recipient', () => {
    const html = prefillForMessages(
      { subject: 'Hi {{controllerName}}', text: 'A <b> & {{link}}\nnext\n\n{{unsubscribeUrl}}' },
      { controllerName: 'Shop & Co' }
    );
    expect(html).toEqual({
      subject: 'Hi Shop & Co',
      text: 'A <b> & {{link}}\nnext\n\n{{unsubscribeUrl}}',
      html: '<p>A &lt;b&gt; &amp; {{link}}<br>next</p>\n<p>{{unsubscribeUrl}}</p>',
    });
    // Per-recipient values are escaped in the HTML part when the worker fills them in.
    expect(
      renderMessage(html, { link: 'https://x.example/?a=1&b=2', unsubscribeUrl: 'https://x.example/u' }).html
    ).toBe('<p>A &lt;b&gt; &amp; https://x.example/?a=1&amp;b=2<br>next</p>\n<p>https://x.example/u</p>');
  });

  it('D4: a site template with its own HTML keeps it; shared values are escaped there', () => {
    const out = prefillForMessages(
      { subject: 'S', text: '{{link}} {{unsubscribeUrl}}', html: '<p>{{controllerName}} {{link}}</p>' },
      { controllerName: '<Shop>' }
    );
    expect(out.html).toBe('<p>&lt;Shop&gt; {{link}}</p>');
  });
});

describe("B2, G4: the plugin's own mails are filled in by the same function as the messages service's", () => {
  const values = { link: 'https://x.example/c?a=1&b=2', controllerName: 'Shop <&> Co\r\nBcc: x@y' };

  it('B2: a text-only template stays text-only: values raw in the text, on one line in the subject', () => {
    const out = renderMail(
      { subject: 'From {{controllerName}}', text: '{{ link }} {{controllerName}} {{other}}' },
      values
    );
    expect(out).toEqual({
      subject: 'From Shop <&> Co Bcc: x@y',
      text: 'https://x.example/c?a=1&b=2 Shop <&> Co\r\nBcc: x@y {{other}}',
    });
    expect('html' in out).toBe(false);
  });

  it('B2: a site template with HTML gets its values escaped there, and only there', () => {
    const out = renderMail(
      { subject: 'S', text: '{{link}}', html: '<a href="{{link}}">{{controllerName}}</a>' },
      values
    );
    expect(out.html).toBe('<a href="https://x.example/c?a=1&amp;b=2">Shop &lt;&amp;&gt; Co\r\nBcc: x@y</a>');
    expect(out.text).toBe('https://x.example/c?a=1&b=2');
  });

  it('B2: renderMail and renderMessage fill alike', () => {
    const template = { subject: 'Hi {{controllerName}}', text: 'T {{link}}', html: '<p>{{link}}</p>' };
    expect(renderMail(template, values)).toEqual(renderMessage(template, values));
  });
});
