import type { Sql } from 'postgres';
import type { Logger } from './logger.ts';

/** How often the listening connection is checked for being alive. */
const CHECK_INTERVAL_MS = 500;

export interface DurableListener {
  /** Stops listening (and checking). */
  unlisten(): Promise<void>;
}

/**
 * `LISTEN channel` that outlives a Postgres restart. postgres.js listens again once when its listen
 * connection closes, and silently gives up when the database is still down at that moment; here the
 * backend the LISTEN was made on is checked every {@link CHECK_INTERVAL_MS}, and when it is gone the
 * LISTEN is made again (retrying until the database answers). A reload notification is sent to `onRestored`,
 * as changes may have been missed while no one listened.
 */
export async function listenDurably(
  sql: Sql,
  channel: string,
  onNotify: (payload: string) => void,
  options: { log: Logger; onRestored?: () => void },
): Promise<DurableListener> {
  let current = await sql.listen(channel, onNotify);
  // A copy: postgres.js updates its state object in place when the connection is opened again.
  let pid = current.state.pid;
  let stopped = false;
  let checking = false;

  const check = async () => {
    if (checking || stopped) return;
    checking = true;
    try {
      // A query sent on a connection the crash half-closed may never answer: give up on it.
      const [alive] = await withTimeout(
        sql<{ alive: boolean }[]>`select exists (select 1 from pg_catalog.pg_stat_activity where pid = ${pid}) as alive`,
        CHECK_INTERVAL_MS * 4,
      );
      if (alive?.alive || stopped) return;
      await current.unlisten().catch(() => undefined);
      current = await sql.listen(channel, onNotify);
      pid = current.state.pid;
      options.log.warn('listening again after the database connection was lost', { channel });
      options.onRestored?.();
    } catch {
      // the database is still down; the next check tries again
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), CHECK_INTERVAL_MS);
  timer.unref();

  return {
    async unlisten() {
      stopped = true;
      clearInterval(timer);
      await current.unlisten().catch(() => undefined);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
