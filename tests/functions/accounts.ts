import { randomBytes, randomUUID } from 'node:crypto';
import type { Session } from '@supabase/supabase-js';
import { expect } from 'vitest';
import { anonClient, serviceClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';

/**
 * Helpers for the account functions' tests: raw HTTP calls (so status, headers and body are all
 * visible), users made quickly through the admin API, and the one-time code rows (mail and SMS are
 * read with tests/helpers/outbox.ts).
 */
const stack = stackEnv();

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  /** The user's access token; the anon key is sent as the bearer otherwise (as supabase-js does). */
  token?: string;
  method?: string;
  /** Sent as is instead of JSON.stringify(body). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  /** The client address Auth's rate limits key on; a fresh random one per call unless given. */
  forwardedFor?: string;
}

/** A random private address, so a test starts with fresh per-IP limits. */
export const randomIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 254)}`;

/** Calls `/functions/v1/<path>`. */
export async function call<T = Record<string, unknown>>(path: string, body?: unknown, options: CallOptions = {}): Promise<Reply<T>> {
  const method = options.method ?? 'POST';
  const response = await fetch(`${stack.url}/functions/v1/${path}`, {
    method,
    headers: {
      apikey: stack.anonKey,
      Authorization: `Bearer ${options.token ?? stack.anonKey}`,
      'Content-Type': 'application/json',
      'X-Forwarded-For': options.forwardedFor ?? randomIp(),
      ...options.headers,
    },
    body: method === 'GET' || method === 'HEAD' ? undefined : (options.raw ?? (body === undefined ? undefined : JSON.stringify(body))),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export const unique = (label = 'u') => `${label}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
export const mailbox = (label = 'user') => `${unique(label).toLowerCase()}@marquee.test`;
/** A valid E.164 number no other test uses. */
export const phoneNumber = () => `+1555${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;

export const PASSWORD = 'Marquee#2024';

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
}

/** A confirmed email user made with the admin API (the signup trigger gives it a profile). */
export async function createAccount(options: { username?: string; email?: string; password?: string } = {}): Promise<TestUser> {
  const user = {
    username: options.username ?? unique('user'),
    email: options.email ?? mailbox(),
    password: options.password ?? PASSWORD,
  };
  const { data, error } = await serviceClient().auth.admin.createUser({
    email: user.email,
    password: user.password,
    email_confirm: true,
    user_metadata: { username: user.username },
  });
  if (error) throw error;
  return { ...user, id: data.user.id };
}

/** A new session for `user` (one more signed-in device), straight from Auth. */
export async function sessionOf(user: { email: string; password: string }): Promise<Session> {
  const { data, error } = await anonClient({ headers: { 'X-Forwarded-For': randomIp() } }).auth.signInWithPassword({
    email: user.email,
    password: user.password,
  });
  if (error) throw error;
  return data.session;
}

/** An access token for `user`, straight from Auth. */
export async function accessToken(user: { email: string; password: string }): Promise<string> {
  return (await sessionOf(user)).access_token;
}

/** Runs `sql` as postgres. */
export async function sql<R extends Record<string, unknown> = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = await connectAsPostgres();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every one-time code row (all columns as text) of a purpose and subject. */
export function codeRows(purpose: string, subject: string) {
  return sql<{ row: string; attempts: number }>(
    'select row_to_json(c)::text as row, c.attempts from private.one_time_codes c where purpose = $1 and subject = $2',
    [purpose, subject],
  );
}

/** Asserts the plaintext `code` appears nowhere in the stored code rows. */
export async function expectOnlyHashes(purpose: string, subject: string, code: string) {
  const rows = await codeRows(purpose, subject);
  expect(rows.length).toBeGreaterThan(0);
  for (const { row } of rows) {
    expect(row).not.toContain(code);
    expect(row).toMatch(/"code_hash":"\$2[aby]\$/);
  }
}

export const GENERIC_500 = { detail: 'An unexpected error occurred. Please try again later.' };
