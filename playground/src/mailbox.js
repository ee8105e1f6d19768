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
          };
          mails.unshift(mail);
          mails.length = Math.min(mails.length, KEEP);
          log(`\n  ✉  mail to ${mail.to}: ${mail.subject}\n${mail.text.replace(/^/gm, '     ')}\n     (also at /demo/mails)\n`);
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
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const renderMailbox = (mails) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Playground mailbox</title>
<style>body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
article { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }</style></head>
<body><h1>Playground mailbox</h1>
<p>Mails the playground sent (newest first). Nothing leaves this machine.</p>
${
  mails.length
    ? mails
        .map(
          (m) => `<article><p><strong>${escape(m.subject)}</strong><br>to ${escape(m.to)} · ${escape(m.at)}</p>
<pre>${escape(m.text).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')}</pre></article>`
        )
        .join('')
    : '<p>No mail yet. Tick "Newsletter" on <a href="/demo">the demo form</a>.</p>'
}
</body></html>`;

module.exports = { startMailbox, renderMailbox };
