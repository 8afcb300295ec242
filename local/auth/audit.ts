import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import { NIL_INSTANCE } from './users.ts';

/** GoTrue's audit action → log_type. */
const LOG_TYPES: Record<string, string> = {
  login: 'account',
  logout: 'account',
  user_signedup: 'team',
  user_invited: 'team',
  user_deleted: 'team',
  user_modified: 'user',
  user_recovery_requested: 'user',
  user_confirmation_requested: 'user',
  user_repeated_signup: 'user',
  user_reauthenticate_requested: 'user',
  user_updated_password: 'user',
  token_refreshed: 'token',
  token_revoked: 'token',
  factor_in_progress: 'factor',
  factor_unenrolled: 'factor',
  challenge_created: 'factor',
  verification_attempted: 'factor',
};

/** One row of auth.audit_log_entries, shaped as GoTrue's `NewAuditLogEntry` writes it. */
export async function audit(
  db: Queryable,
  actorId: string,
  actorName: string | null,
  action: string,
  traits: Record<string, unknown> | undefined,
  ip: string | undefined,
): Promise<void> {
  const payload = {
    actor_id: actorId,
    actor_username: actorName ?? '',
    actor_via_sso: false,
    log_type: LOG_TYPES[action] ?? 'user',
    action,
    ...(traits ? { traits } : {}),
  };
  await db.query(
    `insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address) values ($1, $2, $3, now(), $4)`,
    [NIL_INSTANCE, randomUUID(), JSON.stringify(payload), (ip ?? '').slice(0, 64)],
  );
}
