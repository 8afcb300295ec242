import { SMTPServer } from 'smtp-server';
import type { Logger } from '../shared/logger.ts';
import { parseMessage } from './message.ts';
import type { MailStore } from './store.ts';

/** Largest message accepted, as a guard for memory. */
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * An SMTP server that accepts every message (no TLS; AUTH optional and any credentials accepted,
 * as Mailpit does with `--smtp-auth-accept-any`) and stores it parsed.
 */
export async function startSmtpServer(
  options: { host: string; port: number; store: MailStore; log: Logger },
): Promise<{ close(): Promise<void> }> {
  const { store, log } = options;
  const server = new SMTPServer({
    name: 'marquee-mail',
    banner: 'Marquee Local mail capture',
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? '' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const error = Object.assign(new Error('Message exceeds fixed maximum message size'), { responseCode: 552 });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          username: typeof session.user === 'string' ? session.user : undefined,
        };
        parseMessage(raw, envelope)
          .then((message) => {
            store.add(message);
            log.info('mail captured', { id: message.id, to: message.to.map((a) => a.Address), subject: message.subject });
            callback();
          })
          .catch((error: Error) => {
            log.warn('mail could not be parsed', { error: error.message });
            callback(Object.assign(new Error('Message could not be parsed'), { responseCode: 554 }));
          });
      });
    },
  });
  server.on('error', (error) => log.warn('smtp error', { error: error.message }));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });

  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
