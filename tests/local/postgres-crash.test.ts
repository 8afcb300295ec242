import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import ws from 'ws';
import { findFreePort } from '../../local/shared/ports.ts';
import { startStack, type RunningStack } from '../../local/stack.ts';
import { isAlive } from '../helpers/processes.ts';

/**
 * Durability and recovery of Marquee Local, on a stack of its own (the suite's must not die): writes
 * the API confirmed survive a `kill -9` of the postmaster, the stack starts Postgres again by itself,
 * and REST, Auth, Storage, Realtime and Functions answer again without a manual restart.
 */
const PASSWORD = 'Crash-test-2026!';

let root: string;
let stack: RunningStack;
let admin: SupabaseClient;
let userId: string;
let email: string;
let subscriber: SupabaseClient | undefined;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'marquee-crash-'));
  await chmod(root, 0o755); // the postgres OS user must reach the data directory inside
  const ports = { api: await findFreePort(), db: await findFreePort(), mailHttp: await findFreePort(), mailSmtp: await findFreePort() };
  stack = await startStack({ dataDir: path.join(root, 'data'), ports, quiet: true });
  admin = client(stack.status.serviceRoleKey);
  email = `crash-${Date.now()}@example.com`;
  const { data, error } = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true, user_metadata: { username: `crash_${Date.now()}` } });
  if (error) throw error;
  userId = data.user.id;
}, 180_000);

afterAll(async () => {
  // An open WebSocket would hold the gateway's close.
  await subscriber?.removeAllChannels();
  subscriber?.realtime.disconnect();
  await stack?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

function client(key: string): SupabaseClient {
  return createClient(stack.status.apiUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: ws as never },
  });
}

/** The postmaster's pid, as Postgres records it in its data directory. */
const postmasterPid = () => Number(readFileSync(path.join(stack.config.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

/** One confirmed insert through REST: the row's id once the API answered 201, undefined otherwise. */
async function confirmedWrite(message: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${stack.status.restUrl}/notifications?select=id`, {
      method: 'POST',
      headers: {
        apikey: stack.status.serviceRoleKey,
        Authorization: `Bearer ${stack.status.serviceRoleKey}`,
        'Content-Type': 'application/json',
        Prefer: 'return=representation',
      },
      body: JSON.stringify({ user_id: userId, message }),
    });
    if (response.status !== 201) return undefined;
    return ((await response.json()) as Array<{ id: number }>)[0]?.id;
  } catch {
    return undefined;
  }
}

describe('Postgres killed with SIGKILL', { timeout: 180_000 }, () => {
  it('keeps every confirmed write, comes back by itself, and every service answers again', async () => {
    // A realtime subscriber from before the crash: its server-side listener must reconnect too.
    const live: string[] = [];
    subscriber = client(stack.status.serviceRoleKey);
    const channel: RealtimeChannel = subscriber.channel('crash-watch');
    const subscribed = new Promise<void>((resolve) =>
      channel
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'notifications', filter: `user_id=eq.${userId}` }, (change) =>
          live.push((change.new as { message: string }).message),
        )
        .subscribe((status) => status === 'SUBSCRIBED' && resolve()),
    );
    await subscribed;

    // Writers keep inserting while the postmaster is killed; only answers of 201 count as confirmed.
    const confirmed: number[] = [];
    let writing = true;
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      for (let n = 0; writing; n++) {
        const id = await confirmedWrite(`write ${writer}-${n}`);
        if (id !== undefined) confirmed.push(id);
      }
    });
    await vi.waitFor(() => expect(confirmed.length).toBeGreaterThanOrEqual(200), { timeout: 60_000, interval: 20 });

    const killed = postmasterPid();
    process.kill(killed, 'SIGKILL');
    await vi.waitFor(() => expect(isAlive(killed)).toBe(false), { timeout: 10_000, interval: 10 });
    writing = false;
    await Promise.all(writers);

    // The stack notices and starts Postgres again: a new postmaster, and REST answers.
    await vi.waitFor(
      async () => {
        const response = await fetch(`${stack.status.restUrl}/notifications?select=id&limit=1`, {
          headers: { apikey: stack.status.serviceRoleKey, Authorization: `Bearer ${stack.status.serviceRoleKey}` },
        });
        expect(response.status).toBe(200);
      },
      { timeout: 60_000, interval: 200 },
    );
    expect(postmasterPid()).not.toBe(killed);

    // Every write the API confirmed is there.
    const { data: rows, error } = await admin.from('notifications').select('id').eq('user_id', userId).limit(100_000);
    expect(error).toBeNull();
    const stored = new Set(rows!.map((row) => row.id));
    expect(confirmed.filter((id) => !stored.has(id))).toEqual([]);

    // Auth, Storage and Functions answer again, each through its own pool.
    await vi.waitFor(
      async () => {
        const { data, error: signInError } = await client(stack.status.anonKey).auth.signInWithPassword({ email, password: PASSWORD });
        expect(signInError).toBeNull();
        expect(data.session?.access_token).toBeTruthy();
      },
      { timeout: 30_000, interval: 200 },
    );
    await vi.waitFor(
      async () => {
        const { data, error: bucketsError } = await admin.storage.listBuckets();
        expect(bucketsError).toBeNull();
        expect(data?.map((bucket) => bucket.id)).toContain('avatars');
      },
      { timeout: 30_000, interval: 200 },
    );
    await vi.waitFor(
      async () => {
        const response = await fetch(`${stack.status.functionsUrl}/sign-in`, {
          method: 'POST',
          headers: { apikey: stack.status.anonKey, Authorization: `Bearer ${stack.status.anonKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, password: PASSWORD }),
        });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { access_token?: string }).access_token).toBeTruthy();
      },
      { timeout: 60_000, interval: 500 },
    );

    // Realtime: the subscription made before the crash sees changes again once its server-side
    // listener is back (each try writes a fresh row; changes made while no one listened are lost).
    let tries = 0;
    await vi.waitFor(
      async () => {
        if (!live.some((message) => message.startsWith('after the crash'))) {
          expect(await confirmedWrite(`after the crash ${++tries}`)).toBeDefined();
        }
        expect(live.some((message) => message.startsWith('after the crash'))).toBe(true);
      },
      { timeout: 60_000, interval: 500 },
    );
  });
});
