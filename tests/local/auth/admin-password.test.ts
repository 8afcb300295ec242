/**
 * The admin update (`PUT /admin/users/:id`) goes through the same named operations as GoTrue's
 * adminUserUpdate: a new password is `UpdatePassword` (every pending link and code cleared, one-time
 * tokens deleted, every session signed out), `phone_confirm` is `ConfirmPhone` (the pending
 * confirmation code spent).
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../../helpers/db.ts';
import { codeIn, latestSms } from '../../helpers/outbox.ts';
import { client, codesIn, latestMailTo, PASSWORD, signedInUser } from './helpers.ts';

const NEW_PASSWORD = 'Admin-set-2026!';

async function userTokens(id: string) {
  const db = await connectAsPostgres();
  try {
    const user = await db.query<{ recovery_token: string; recovery_sent_at: Date | null; confirmation_token: string; phone_confirmed_at: Date | null }>(
      'select recovery_token, recovery_sent_at, confirmation_token, phone_confirmed_at from auth.users where id = $1',
      [id],
    );
    const tokens = await db.query<{ count: string }>('select count(*) from auth.one_time_tokens where user_id = $1', [id]);
    const sessions = await db.query<{ count: string }>('select count(*) from auth.sessions where user_id = $1', [id]);
    return { ...user.rows[0]!, oneTimeTokens: Number(tokens.rows[0]!.count), sessions: Number(sessions.rows[0]!.count) };
  } finally {
    await db.end();
  }
}

describe('auth: the admin update does what GoTrue\'s model does', () => {
  it('a new password clears the pending recovery code and one-time tokens and signs every session out', async () => {
    const { email, user, session } = await signedInUser('admin-pw');
    expect((await client().auth.resetPasswordForEmail(email)).error).toBeNull();
    const { otp } = codesIn((await latestMailTo(email)).html);
    const before = await userTokens(user.id);
    expect(before.recovery_token).not.toBe('');
    expect(before.oneTimeTokens).toBeGreaterThan(0);

    const { error } = await client('service_role').auth.admin.updateUserById(user.id, { password: NEW_PASSWORD });
    expect(error).toBeNull();

    const after = await userTokens(user.id);
    expect(after).toMatchObject({ recovery_token: '', recovery_sent_at: null, oneTimeTokens: 0, sessions: 0 });
    const reuse = await client().auth.verifyOtp({ email, token: otp, type: 'recovery' });
    expect(reuse.error?.code).toBe('otp_expired');
    expect((await client().auth.refreshSession({ refresh_token: session.refresh_token })).error?.code).toBe('refresh_token_not_found');
    expect((await client().auth.signInWithPassword({ email, password: NEW_PASSWORD })).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
  });

  it('phone_confirm confirms the number and spends the pending confirmation code', async () => {
    const phone = '1555' + String(randomInt(10_000_000)).padStart(7, '0');
    const signUp = await client().auth.signUp({ phone, password: PASSWORD });
    expect(signUp.error).toBeNull();
    const code = codeIn((await latestSms(`+${phone}`)) ?? '');
    const id = signUp.data.user!.id;
    expect((await userTokens(id)).confirmation_token).not.toBe('');

    const { error } = await client('service_role').auth.admin.updateUserById(id, { phone_confirm: true });
    expect(error).toBeNull();

    const after = await userTokens(id);
    expect(after.phone_confirmed_at).not.toBeNull();
    expect(after).toMatchObject({ confirmation_token: '', oneTimeTokens: 0 });
    expect((await client().auth.verifyOtp({ phone, token: code, type: 'sms' })).error?.code).toBe('otp_expired');
  });
});
