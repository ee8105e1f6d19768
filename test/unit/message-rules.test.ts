/** Rules of consent-gated sending (domain/message-rules.ts): D4, E6 and at-most-once delivery. */
import {
  FAILURE_REASONS,
  jobStatus,
  missingOptOut,
  recoveredStatus,
  renderMessage,
  templateBytes,
} from '../../server/src/domain/message-rules';

const TEMPLATE = {
  subject: 'News',
  html: '<a href="{{unsubscribeUrl}}">Leave</a>',
  text: 'Leave: {{ unsubscribeUrl }}',
};

describe('D4, E6: a marketing template carries its opt-out link in every body part', () => {
  it('D4: a template with {{unsubscribeUrl}} in html and text passes', () => {
    expect(missingOptOut(TEMPLATE)).toEqual([]);
  });
  it('D4: the parts without it are named, html and text separately', () => {
    expect(missingOptOut({ html: '<p>{{preferencesUrl}}</p>', text: TEMPLATE.text })).toEqual(['html']);
    expect(missingOptOut({ html: TEMPLATE.html, text: 'Hi' })).toEqual(['text']);
    expect(missingOptOut({ html: 'unsubscribeUrl', text: '{unsubscribeUrl}' })).toEqual(['html', 'text']);
  });
  it("D4: a system message (the plugin's own caller) names its own placeholders", () => {
    expect(missingOptOut({ html: '{{link}}', text: '{{link}}' }, 'system')).toEqual([]);
  });
  it('the size limit counts the three parts in UTF-8 bytes', () => {
    expect(templateBytes({ subject: 'é', html: 'ab', text: '€' })).toBe(2 + 2 + 3);
  });
});

describe('E6: each recipient gets their own links, safe in HTML', () => {
  const values = { unsubscribeUrl: 'https://x.example/u/a.b?c=1&d="2"', preferencesUrl: 'https://x.example/p/z' };
  it('E6: fills the links, HTML-escaped in html and as written in text', () => {
    const out = renderMessage({ ...TEMPLATE, text: `${TEMPLATE.text} {{preferencesUrl}}` }, values);
    expect(out.html).toBe('<a href="https://x.example/u/a.b?c=1&amp;d=&quot;2&quot;">Leave</a>');
    expect(out.text).toBe('Leave: https://x.example/u/a.b?c=1&d="2" https://x.example/p/z');
  });
  it('leaves unknown placeholders as written and keeps a value from breaking the subject line', () => {
    const out = renderMessage(
      { subject: 'Hi {{name}} {{x}}', html: '{{unknown}}', text: '' },
      { name: 'A\r\nBcc: b@x', unsubscribeUrl: 'u' }
    );
    expect(out.subject).toBe('Hi A Bcc: b@x {{x}}');
    expect(out.html).toBe('{{unknown}}');
  });
});

describe('D1, D10: at most once across a restart', () => {
  it('D1: a row claimed but never handed to the provider is queued again', () => {
    expect(recoveredStatus('claimed')).toEqual({ status: 'queued' });
  });
  it('D1: a row left while being handed over is never sent again: failed, interrupted', () => {
    expect(recoveredStatus('sending')).toEqual({ status: 'failed', reason: FAILURE_REASONS.interrupted });
  });
  it('settled rows stay as they are', () => {
    for (const s of ['queued', 'sent', 'skipped', 'failed'] as const) expect(recoveredStatus(s)).toBeNull();
  });
  it('the job is queued until a row is taken, sending while any is open, done when none is', () => {
    expect(jobStatus({ total: 3, queued: 3, inFlight: 0 }, false)).toBe('queued');
    expect(jobStatus({ total: 3, queued: 2, inFlight: 1 }, true)).toBe('sending');
    expect(jobStatus({ total: 3, queued: 0, inFlight: 0 }, true)).toBe('done');
    expect(jobStatus({ total: 0, queued: 0, inFlight: 0 }, false)).toBe('done');
  });
});
