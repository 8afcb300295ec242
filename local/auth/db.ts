import pg from 'pg';

/** Anything that runs a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface AuthDatabase {
  pool: pg.Pool;
  /** Runs `work` in one transaction; rolls back when it throws (unless `commitOnError` says so). */
  transaction<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Thrown inside a transaction to commit the work done so far and still fail the request, as
 * GoTrue's `storage.NewCommitWithError` does (refresh-token reuse revokes the family, then errors).
 */
export class CommitThenThrow extends Error {
  constructor(readonly error: unknown) {
    super('commit then throw');
  }
}

export function createAuthDatabase(connectionString: string): AuthDatabase {
  const pool = new pg.Pool({ connectionString, max: 10, idleTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  return {
    pool,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        try {
          const result = await work(client);
          await client.query('commit');
          return result;
        } catch (error) {
          if (error instanceof CommitThenThrow) {
            await client.query('commit');
            throw error.error;
          }
          await client.query('rollback').catch(() => {});
          throw error;
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
