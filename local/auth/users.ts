import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import { internal } from './errors.ts';

/** GoTrue keeps every user in the nil instance. */
export const NIL_INSTANCE = '00000000-0000-0000-0000-000000000000';

export type JsonObject = Record<string, unknown>;

/** One row of auth.users, as GoTrue's `models.User` reads it. */
export interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  confirmation_token: string;
  confirmation_sent_at: Date | null;
  confirmed_at: Date | null;
  recovery_token: string;
  recovery_sent_at: Date | null;
  email_change_token_current: string;
  email_change_token_new: string;
  email_change: string;
  email_change_sent_at: Date | null;
  email_change_confirm_status: number;
  phone_change: string;
  phone_change_token: string;
  phone_change_sent_at: Date | null;
  reauthentication_token: string;
  reauthentication_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: JsonObject | null;
  raw_user_meta_data: JsonObject | null;
  created_at: Date;
  updated_at: Date;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
  is_sso_user: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: JsonObject;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
  email: string | null;
}

export interface FactorRow {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: string;
  status: string;
  created_at: Date;
  updated_at: Date;
  secret: string | null;
  phone: string | null;
  last_challenged_at: Date | null;
}

/** A user with the relations GoTrue eager-loads. */
export interface User extends UserRow {
  identities: IdentityRow[];
  factors: FactorRow[];
}

/**
 * Columns GoTrue scans into Go strings: a NULL in any of them makes GoTrue fail with "converting
 * NULL to string is unsupported". Seeds writing rows of auth.users must set them to ''.
 */
const NON_NULL_STRING_COLUMNS = [
  'confirmation_token',
  'recovery_token',
  'email_change_token_current',
  'email_change_token_new',
  'email_change',
  'phone_change',
  'phone_change_token',
  'reauthentication_token',
] as const;

const USER_COLUMNS = `id, aud, role, email, encrypted_password, email_confirmed_at, invited_at, phone,
  phone_confirmed_at, confirmation_token, confirmation_sent_at, confirmed_at, recovery_token, recovery_sent_at,
  email_change_token_current, email_change_token_new, email_change, email_change_sent_at,
  coalesce(email_change_confirm_status, 0)::int as email_change_confirm_status, phone_change, phone_change_token,
  phone_change_sent_at, reauthentication_token, reauthentication_sent_at, last_sign_in_at, raw_app_meta_data,
  raw_user_meta_data, created_at, updated_at, banned_until, deleted_at, is_anonymous, is_sso_user`;

async function loadUsers(db: Queryable, where: string, params: unknown[]): Promise<User[]> {
  const { rows } = await db.query<UserRow>(`select ${USER_COLUMNS} from auth.users where ${where}`, params);
  for (const row of rows) assertScannable(row);
  return attachRelations(db, rows);
}

function assertScannable(row: UserRow): void {
  for (const column of NON_NULL_STRING_COLUMNS) {
    if (row[column] === null) {
      throw internal(
        'Database error querying schema',
        new Error(`auth.users.${column} is NULL for user ${row.id}: converting NULL to string is unsupported (set it to '')`),
      );
    }
  }
}

export async function attachRelations(db: Queryable, rows: UserRow[]): Promise<User[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [identities, factors] = await Promise.all([
    db.query<IdentityRow>(
      `select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, email
         from auth.identities where user_id = any($1::uuid[]) order by created_at, id`,
      [ids],
    ),
    db.query<FactorRow>(
      `select id, user_id, friendly_name, factor_type::text, status::text, created_at, updated_at, secret, phone,
              last_challenged_at
         from auth.mfa_factors where user_id = any($1::uuid[]) order by created_at, id`,
      [ids],
    ),
  ]);
  return rows.map((row) => ({
    ...row,
    identities: identities.rows.filter((i) => i.user_id === row.id),
    factors: factors.rows.filter((f) => f.user_id === row.id),
  }));
}

export async function findUserById(db: Queryable, id: string): Promise<User | undefined> {
  if (!isUuid(id)) return undefined;
  const [user] = await loadUsers(db, 'instance_id = $1 and id = $2', [NIL_INSTANCE, id]);
  return user;
}

export async function findUserByEmail(db: Queryable, email: string, aud: string): Promise<User | undefined> {
  const [user] = await loadUsers(
    db,
    'instance_id = $1 and lower(email) = $2 and aud = $3 and is_sso_user = false',
    [NIL_INSTANCE, email.toLowerCase(), aud],
  );
  return user;
}

export async function findUserByPhone(db: Queryable, phone: string, aud: string): Promise<User | undefined> {
  const [user] = await loadUsers(db, 'instance_id = $1 and phone = $2 and aud = $3 and is_sso_user = false', [
    NIL_INSTANCE,
    phone,
    aud,
  ]);
  return user;
}

/** The user with a pending change to this phone number (GoTrue's `FindUserByPhoneChangeAndAudience`). */
export async function findUserByPhoneChange(db: Queryable, phone: string, aud: string): Promise<User | undefined> {
  const [user] = await loadUsers(db, 'instance_id = $1 and phone_change = $2 and aud = $3 and is_sso_user = false', [
    NIL_INSTANCE,
    phone,
    aud,
  ]);
  return user;
}

/** The user owning an email identity with this address (GoTrue's `IsDuplicatedEmail`). */
export async function findUserWithEmailIdentity(
  db: Queryable,
  email: string,
  aud: string,
  exceptUserId?: string,
): Promise<User | undefined> {
  const { rows } = await db.query<{ user_id: string }>(
    `select distinct i.user_id from auth.identities i join auth.users u on u.id = i.user_id
      where i.email = $1 and u.aud = $2 and u.is_sso_user = false and ($3::uuid is null or i.user_id <> $3::uuid)`,
    [email.toLowerCase(), aud, exceptUserId ?? null],
  );
  if (rows[0]) return findUserById(db, rows[0].user_id);
  // A user created without an identity row (e.g. by SQL) still owns its address.
  const direct = await findUserByEmail(db, email, aud);
  return direct && direct.id !== exceptUserId ? direct : undefined;
}

export interface ListUsersPage {
  users: User[];
  total: number;
}

export async function listUsers(db: Queryable, aud: string, page: number, perPage: number, filter: string): Promise<ListUsersPage> {
  const params: unknown[] = [NIL_INSTANCE, aud];
  let where = 'instance_id = $1 and aud = $2';
  if (filter) {
    params.push(`%${filter}%`);
    where += ` and (email like $3 or raw_user_meta_data->>'full_name' ilike $3)`;
  }
  const count = await db.query<{ count: string }>(`select count(*) from auth.users where ${where}`, params);
  const offset = Math.max(0, (page - 1) * perPage);
  const users = await loadUsers(db, `${where} order by created_at desc limit ${perPage} offset ${offset}`, params);
  return { users, total: Number(count.rows[0]?.count ?? 0) };
}

/** GoTrue's metadata merge: keys set to null are removed, others replaced. */
export function mergeMetadata(current: JsonObject | null, updates: JsonObject): JsonObject {
  const merged: JsonObject = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null || value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export function isPhoneConfirmed(user: UserRow): boolean {
  return user.phone_confirmed_at !== null;
}

export async function insertIdentity(
  db: Queryable,
  userId: string,
  provider: string,
  providerId: string,
  identityData: JsonObject,
): Promise<void> {
  const data = { ...identityData };
  if (typeof data.email === 'string') data.email = data.email.toLowerCase();
  await db.query(
    `insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, now(), now(), now())`,
    [randomUUID(), providerId, userId, JSON.stringify(data), provider],
  );
}


export function isBanned(user: UserRow): boolean {
  return user.banned_until !== null && user.banned_until.getTime() > Date.now();
}

export function hasPassword(user: UserRow): boolean {
  return !!user.encrypted_password;
}

export function isEmailConfirmed(user: UserRow): boolean {
  return user.email_confirmed_at !== null;
}

/**
 * GoTrue's `sanitizeUser`: what a repeated sign-up of a confirmed address or number is answered
 * with, so the answer does not tell whether the account exists — a new id, no identities, the
 * request's metadata, and only the address or number signed up with.
 */
export function sanitizedUser(provider: 'email' | 'phone', address: { email?: string; phone?: string }, data: JsonObject, aud: string): JsonObject {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    aud,
    role: '',
    email: provider === 'email' ? (address.email ?? '') : '',
    phone: provider === 'phone' ? (address.phone ?? '') : '',
    confirmation_sent_at: now,
    app_metadata: { provider, providers: [provider] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function iso(value: Date | null): string | undefined {
  return value ? value.toISOString() : undefined;
}

/** The JSON GoTrue answers for a user (`models.User` with its json tags and omitempty rules). */
export function userJson(user: User): JsonObject {
  const json: JsonObject = {
    id: user.id,
    aud: user.aud ?? '',
    role: user.role ?? '',
    email: user.email ?? '',
    email_confirmed_at: iso(user.email_confirmed_at),
    invited_at: iso(user.invited_at),
    phone: user.phone ?? '',
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmation_sent_at: iso(user.confirmation_sent_at),
    confirmed_at: iso(user.confirmed_at),
    recovery_sent_at: iso(user.recovery_sent_at),
    new_email: user.email_change || undefined,
    email_change_sent_at: iso(user.email_change_sent_at),
    new_phone: user.phone_change || undefined,
    phone_change_sent_at: iso(user.phone_change_sent_at),
    reauthentication_sent_at: iso(user.reauthentication_sent_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    factors: user.factors.length ? user.factors.map(factorJson) : undefined,
    identities: user.identities.map(identityJson),
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
    banned_until: iso(user.banned_until),
    deleted_at: iso(user.deleted_at),
    is_anonymous: user.is_anonymous,
  };
  for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
  return json;
}

export function identityJson(identity: IdentityRow): JsonObject {
  const json: JsonObject = {
    identity_id: identity.id,
    id: identity.provider_id,
    user_id: identity.user_id,
    identity_data: identity.identity_data,
    provider: identity.provider,
    last_sign_in_at: iso(identity.last_sign_in_at),
    created_at: identity.created_at?.toISOString(),
    updated_at: identity.updated_at?.toISOString(),
    email: identity.email ?? undefined,
  };
  for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
  return json;
}

export function factorJson(factor: FactorRow): JsonObject {
  const json: JsonObject = {
    id: factor.id,
    created_at: factor.created_at.toISOString(),
    updated_at: factor.updated_at.toISOString(),
    status: factor.status,
    friendly_name: factor.friendly_name || undefined,
    factor_type: factor.factor_type,
    phone: factor.phone ?? '',
    last_challenged_at: factor.last_challenged_at ? factor.last_challenged_at.toISOString() : null,
  };
  if (json.friendly_name === undefined) delete json.friendly_name;
  return json;
}
