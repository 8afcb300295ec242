import { createAdaptorServer } from '@hono/node-server';
import type { LocalConfig } from '../config/index.ts';
import type { Logger } from '../shared/logger.ts';
import { createMailApi } from './api.ts';
import { startSmtpServer } from './smtp.ts';
import { MailStore, type MailStoreLimits } from './store.ts';

export { MailStore } from './store.ts';
export type { StoredMessage } from './message.ts';

export interface MailCapture {
  close(): Promise<void>;
}

/**
 * Marquee Local's Mailpit: SMTP capture on `ports.mailSmtp` and Mailpit's HTTP API on
 * `ports.mailHttp`, messages kept in memory (bounded, oldest dropped first).
 */
export async function startMailCapture(config: LocalConfig, log: Logger, limits?: MailStoreLimits): Promise<MailCapture> {
  const mailLog = log.child({ service: 'mail' });
  const store = new MailStore(limits);
  const smtp = await startSmtpServer({ host: config.host, port: config.ports.mailSmtp, store, log: mailLog });

  const http = createAdaptorServer({ fetch: createMailApi(store).fetch });
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.ports.mailHttp, config.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await smtp.close();
    throw error;
  }
  mailLog.info('mail capture listening', { smtp: config.ports.mailSmtp, http: config.ports.mailHttp });

  return {
    async close() {
      await Promise.all([
        smtp.close(),
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          if ('closeAllConnections' in http) (http as { closeAllConnections(): void }).closeAllConnections();
        }),
      ]);
    },
  };
}
