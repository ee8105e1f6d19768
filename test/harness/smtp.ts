import type { AddressInfo } from 'node:net';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SMTPServer } = require('smtp-server');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { simpleParser } = require('mailparser');

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string | false;
  headers: Map<string, unknown>;
  /** The header lines as received (`{ key, line }`, key lowercased), for headers mailparser restructures (List-*). */
  headerLines: { key: string; line: string }[];
}

export interface SmtpListener {
  port: number;
  mails: ReceivedMail[];
  /** Resolves with the first mail (received or to come) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package), so mail takes the whole path a site's
 * does: Strapi's email plugin, the nodemailer provider, SMTP. Messages are parsed with `mailparser`.
 */
export const startSmtp = async (port = 0): Promise<SmtpListener> => {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(
      stream: NodeJS.ReadableStream,
      session: { envelope: { rcptTo: { address: string }[] } },
      done: (e?: Error) => void
    ) {
      simpleParser(stream)
        .then(
          (parsed: {
            from?: { text: string };
            subject?: string;
            text?: string;
            html?: string | false;
            headers: Map<string, unknown>;
            headerLines: { key: string; line: string }[];
          }) => {
            mails.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: parsed.from?.text ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: parsed.html ?? false,
              headers: parsed.headers,
              headerLines: parsed.headerLines,
            });
            done();
          }
        )
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    async waitFor(match, timeoutMs = 10_000) {
      const started = Date.now();
      for (;;) {
        const found = mails.find(match);
        if (found) return found;
        if (Date.now() - started > timeoutMs) throw new Error('no matching mail arrived');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};

/** The confirmation link in a mail's text. */
export const confirmationLink = (mail: ReceivedMail) => {
  const match = /https?:\/\/\S+\/api\/consent\/confirm\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no confirmation link in: ${mail.text}`);
  return { url: match[0], path: new URL(match[0]).pathname, token: match[1] };
};
