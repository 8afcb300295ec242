import { randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import { switchToCaller } from '../shared/caller-role.ts';
import type { JwtClaims } from '../shared/jwt.ts';

/**
 * Private channel authorisation, as Realtime's Tenants.Authorization runs it: probes on
 * realtime.messages as the user's role, with `request.jwt.claims` and `realtime.topic` set, inside a
 * transaction that is always rolled back. Read: probe rows (one per extension) are inserted as the
 * service, then selected as the user; the rows the user sees are the extensions it may read. Write:
 * a row per extension is inserted as the user; insufficient_privilege means no.
 */

export type Extension = 'broadcast' | 'presence';

export interface Policies {
  broadcast: { read?: boolean; write?: boolean };
  presence: { read?: boolean; write?: boolean };
}

export const emptyPolicies = (): Policies => ({ broadcast: {}, presence: {} });

export interface AuthorizationContext {
  topic: string;
  claims: JwtClaims;
  headers?: Record<string, string>;
}

class Rollback extends Error {}

export async function readPolicies(sql: Sql, context: AuthorizationContext, extensions: Extension[], policies = emptyPolicies()): Promise<Policies> {
  const probeIds = new Map(extensions.map((extension) => [extension, randomUUID()]));
  return rolledBack(sql, async (tx) => {
    for (const [extension, id] of probeIds) {
      await tx`insert into realtime.messages (id, topic, extension) values (${id}, ${context.topic}, ${extension})`;
    }
    await setConnectionConfig(tx, context);
    const visible = await tx`select id from realtime.messages where id in ${tx([...probeIds.values()])}`;
    const seen = new Set(visible.map((row) => row.id as string));
    const result = structuredClone(policies);
    for (const [extension, id] of probeIds) result[extension].read = seen.has(id);
    return result;
  });
}

export async function writePolicies(sql: Sql, context: AuthorizationContext, extensions: Extension[], policies = emptyPolicies()): Promise<Policies> {
  return rolledBack(sql, async (tx) => {
    await setConnectionConfig(tx, context);
    const result = structuredClone(policies);
    for (const extension of ['broadcast', 'presence'] as const) {
      if (!extensions.includes(extension)) {
        result[extension].write = false;
        continue;
      }
      try {
        await tx.savepoint((sp) => sp`insert into realtime.messages (topic, extension) values (${context.topic}, ${extension})`);
        result[extension].write = true;
      } catch (error) {
        if ((error as { code?: string }).code !== '42501') throw error;
        result[extension].write = false;
      }
    }
    return result;
  });
}

/** The caller's settings, then `realtime.topic`, as Realtime sets them before its probes. */
async function setConnectionConfig(tx: TransactionSql, context: AuthorizationContext): Promise<void> {
  const request = { method: '', path: '', headers: context.headers ?? {}, cookies: {} };
  await switchToCaller(tx, { role: String(context.claims.role), claims: context.claims, request }, [['realtime.topic', context.topic]]);
}

/** Runs `work` in a transaction and rolls it back whatever happens, returning its result. */
async function rolledBack<T>(sql: Sql, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await sql.begin(async (tx) => {
      result = await work(tx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result as T;
}
