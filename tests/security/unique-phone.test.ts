/**
 * Phone numbers are unique across accounts (reference 002, issue 7 item 12): one number is one
 * account's, whether as its sign-in phone (auth.users.phone) or its profile phone
 * (personal_details.user_phone). Tried through every door: raw REST, the SDK, the update RPC, Auth's
 * admin API, phone sign-up, and an admin editing rows as `postgres` in the dashboard.
 */
import { randomBytes } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarquee, isMarqueeError, type Marquee } from '../../sdk/src/index.ts';
import { anonClient, serviceClient, userClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { call } from '../functions/accounts.ts';

const PASSWORD = 'Phone-unique-1!';
const TAKEN = 'A user with this phone number already exists.';
const newPhone = () => `+1555${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;

interface Account {
  id: string;
  email: string;
  rest: SupabaseClient;
  sdk: Marquee;
}

async function account(tag: string): Promise<Account> {
  const username = `${tag}_${randomBytes(4).toString('hex')}`;
  const email = `${username}@marquee.test`;
  const { data, error } = await anonClient().auth.signUp({ email, password: PASSWORD, options: { data: { username } } });
  if (error || !data.session) throw error ?? new Error('no session');
  const client = anonClient({ flowType: 'implicit' });
  const signedIn = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (signedIn.error) throw signedIn.error;
  return { id: data.user!.id, email, rest: userClient(data.session.access_token), sdk: createMarquee({ client: client as never }) };
}

let db: pg.Client;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  db = await connectAsPostgres();
  [alice, bob] = await Promise.all([account('alice'), account('bob')]);
});
afterAll(async () => db?.end());

const phoneOf = async (userId: string) => (await db.query('select user_phone from public.personal_details where user_id = $1', [userId])).rows[0]?.user_phone;

describe('a profile phone another account has', () => {
  it('raw REST: the second account is refused with 23505 and 002\'s message; the first keeps it', async () => {
    const phone = newPhone();
    expect((await alice.rest.from('personal_details').update({ user_phone: phone }).eq('user_id', alice.id)).error).toBeNull();
    const second = await bob.rest.from('personal_details').update({ user_phone: phone }).eq('user_id', bob.id);
    expect({ code: second.error?.code, message: second.error?.message }).toEqual({ code: '23505', message: TAKEN });
    expect(await phoneOf(bob.id)).toBe('');
    expect(await phoneOf(alice.id)).toBe(phone);
  });

  it('SDK: 400 {"user_phone": [002\'s message]}, also when typed with separators', async () => {
    const phone = newPhone();
    await alice.sdk.profiles.update({ user_phone: phone });
    const spaced = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    const error = await bob.sdk.profiles.update({ user_phone: spaced }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isMarqueeError(error) && { status: error.status, fields: error.fields }).toEqual({ status: 400, fields: { user_phone: [TAKEN] } });
    expect(await phoneOf(bob.id)).toBe('');
  });

  it('an account may show its own sign-in phone on its profile', async () => {
    const phone = newPhone();
    await db.query('update auth.users set phone = $1 where id = $2', [phone.slice(1), alice.id]);
    expect((await alice.rest.from('personal_details').update({ user_phone: phone }).eq('user_id', alice.id)).error).toBeNull();
  });
});

describe("another account's sign-in phone", () => {
  it('cannot become a profile phone (REST)', async () => {
    const phone = newPhone();
    const created = await serviceClient().auth.admin.createUser({ phone, password: PASSWORD, phone_confirm: true });
    expect(created.error).toBeNull();
    const update = await bob.rest.from('personal_details').update({ user_phone: phone }).eq('user_id', bob.id);
    expect(update.error?.code).toBe('23505');
    expect(await phoneOf(bob.id)).toBe('');
  });

  it('a profile phone cannot be taken as a new sign-in phone: Auth admin API and phone sign-up refuse it', async () => {
    const phone = newPhone();
    expect((await alice.rest.from('personal_details').update({ user_phone: phone }).eq('user_id', alice.id)).error).toBeNull();
    const created = await serviceClient().auth.admin.createUser({ phone, password: PASSWORD, phone_confirm: true });
    expect(created.error).not.toBeNull();
    const rows = await db.query('select 1 from auth.users where phone = $1', [phone.slice(1)]);
    expect(rows.rowCount).toBe(0);
    const send = await call('phone-signup/send-code', { phone_number: phone });
    expect({ status: send.status, body: send.body }).toEqual({ status: 409, body: { detail: 'User with this phone number already exists.' } });
  });
});

describe('an admin in the dashboard (postgres, no RLS)', () => {
  it('cannot give two accounts one number, through either table', async () => {
    const phone = newPhone();
    await db.query('update public.personal_details set user_phone = $1 where user_id = $2', [phone, alice.id]);
    await expect(db.query('update public.personal_details set user_phone = $1 where user_id = $2', [phone, bob.id])).rejects.toMatchObject({
      code: '23505',
      message: TAKEN,
    });
    await expect(db.query('update auth.users set phone = $1 where id = $2', [phone.slice(1), bob.id])).rejects.toMatchObject({ code: '23505' });
  });
});
