/**
 * The playground's mailbox: a local SMTP listener (smtp-server) that Strapi's email plugin sends to, so a
 * newcomer can click through double opt-in without any mail account. Received mails are printed in the
 * terminal and listed at /demo/mails with their links clickable. Nothing leaves the machine.
 */
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const KEEP = 50;

const startMailbox = ({ port, log }) => {
  const mails = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream)
        .then((parsed) => {
          const mail = {
            at: new Date().toISOString(),
            to: session.envelope.rcptTo.map((r) => r.address).join(', '),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            // The one-click headers (RFC 8058) of a newsletter, shown as received.
            listUnsubscribe: (parsed.headerLines ?? [])
              .filter((h) => h.key === 'list-unsubscribe' || h.key === 'list-unsubscribe-post')
              .map((h) => h.line.replace(/\r?\n\s+/g, ' ')),
          };
          mails.unshift(mail);
          mails.length = Math.min(mails.length, KEEP);
          log(
            `\n  ✉  mail to ${mail.to}: ${mail.subject}\n${mail.text.replace(/^/gm, '     ')}\n     (also at /demo/mails)\n`
          );
          done();
        })
        .catch(done);
    },
  });
  server.on('error', (error) => log(`  mailbox: ${error.message} (mails will not be shown)`));
  server.listen(port, '127.0.0.1');
  return { mails, stop: () => new Promise((resolve) => server.close(resolve)) };
};

const escape = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]
  );

/** The demo newsletter: a marketing template must carry {{unsubscribeUrl}} in both parts (D4). */
const DEMO_NEWSLETTER = {
  subject: 'Example Shop: the spring newsletter',
  html: '<h1>Spring at Example Shop</h1><p>New arrivals every week.</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a> · <a href="{{preferencesUrl}}">Your preferences</a></p>',
  text: 'Spring at Example Shop\n\nNew arrivals every week.\n\nUnsubscribe: {{unsubscribeUrl}}\nYour preferences: {{preferencesUrl}}',
};

const jobLine = (job) =>
  job
    ? `<p role="status">Newsletter ${job.status === 'done' ? 'sent' : 'being sent'}: ${job.counts.sent} sent, ${job.counts.skipped} skipped (not eligible at sending), ${job.counts.failed} failed, of ${job.counts.total}. <a href="/demo/mails?sent=${job.id}">Refresh</a></p>`
    : '';

const renderMailbox = (mails, job = null) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Playground mailbox</title>
<style>body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
article { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }</style></head>
<body><h1>Playground mailbox</h1>
<p>Mails the playground sent (newest first). Nothing leaves this machine.</p>
<form method="post" action="/demo/newsletter"><button type="submit">Send the demo newsletter</button>
to everyone subscribed to the newsletter: try its one-click unsubscribe and the preference centre.</form>
${jobLine(job)}
${
  mails.length
    ? mails
        .map(
          (m) => `<article><p><strong>${escape(m.subject)}</strong><br>to ${escape(m.to)} · ${escape(m.at)}</p>
${(m.listUnsubscribe ?? []).length ? `<pre>${m.listUnsubscribe.map(escape).join('\n')}</pre>` : ''}
<pre>${escape(m.text).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')}</pre></article>`
        )
        .join('')
    : '<p>No mail yet. Tick "Newsletter" on <a href="/demo">the demo form</a>.</p>'
}
</body></html>`;

module.exports = { startMailbox, renderMailbox, DEMO_NEWSLETTER };
