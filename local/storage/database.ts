/**
 * The storage schema as the request's role: every statement runs in a transaction that switches to
 * the caller's role with its claims (as PostgREST and storage-api do), so `storage.buckets` and
 * `storage.objects` policies decide. The service connects as `authenticator`, like REST.
 */
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { dbUrl, type LocalConfig } from '../config/index.ts';
import { switchToCaller } from '../shared/caller-role.ts';
import type { Caller } from './auth.ts';
import { toStorageError } from './errors.ts';

export type Tx = TransactionSql;

export interface StorageDb {
  /** Runs `work` in one transaction as `caller`, with `storage.operation` set to `operation`. */
  as<T>(caller: Caller, operation: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** storage-api's `asSuperUser()`: the service's own lookups, past RLS (service_role bypasses it). */
  asService<T>(operation: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs `work` as `caller` and rolls it back: would the policies allow it? (storage-api's testPermission) */
  test(caller: Caller, operation: string, work: (tx: Tx) => Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

const SERVICE_CALLER: Caller = { role: 'service_role', claims: { role: 'service_role' }, owner: undefined };
const ROLLBACK = Symbol('rollback');

export function createStorageDb(config: LocalConfig): StorageDb {
  const sql: Sql = postgres(dbUrl(config, 'authenticator'), {
    max: 10,
    idle_timeout: 60,
    fetch_types: false,
    onnotice: () => undefined,
    connection: { application_name: 'marquee-storage' },
  });

  const run = async <T>(caller: Caller, operation: string, work: (tx: Tx) => Promise<T>): Promise<T> => {
    try {
      return (await sql.begin(async (tx) => {
        // Deletes from the storage tables are the service's to make (storage.protect_delete).
        await switchToCaller(tx, caller, [
          ['storage.operation', operation],
          ['storage.allow_delete_query', 'true'],
        ]);
        return work(tx);
      })) as T;
    } catch (error) {
      throw error === ROLLBACK ? error : toStorageError(error);
    }
  };

  return {
    as: run,
    asService: (operation, work) => run(SERVICE_CALLER, operation, work),
    async test(caller, operation, work) {
      try {
        await run(caller, operation, async (tx) => {
          await work(tx);
          throw ROLLBACK;
        });
      } catch (error) {
        if (error !== ROLLBACK) throw error;
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
