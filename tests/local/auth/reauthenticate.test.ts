/**
 * `GET /reauthenticate` and `updateUser({ password, nonce })` with `[auth.email]
 * secure_password_change = true` (in-process; the shared config.toml keeps it off), with
 * require_current_password off so the nonce is the only proof asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail } from './helpers.ts';
import { asPostgres, startAuthService, type InProcessAuth } from './in-process.ts';

function nonceIn(html: string | undefined): string {
  const nonce = /Enter the code: (\d{6})/.exec(html ?? '')?.[1];
  if (!nonce) throw new Error(`no code in mail: ${html}`);
  return nonce;
}

describe('auth: reauthentication (secure_password_change)', () => {
  let auth: InProcessAuth;

  beforeAll(async () => {
    auth = await startAuthService({ email: { secure_password_change: true, require_current_password: false, max_frequency: '0s' } });
  });
  afterAll(async () => auth?.close());

  async function signedIn() {
    const supabase = auth.client();
    const email = uniqueEmail('reauth');
    const { data, error } = await supabase.auth.signUp({ email, password: PASSWORD });
    if (error || !data.session) throw error ?? new Error('no session');
    return { supabase, email, session: data.session };
  }

  it('a session signed in within 24 hours changes the password without a nonce', async () => {
    const { supabase } = await signedIn();
    expect((await supabase.auth.updateUser({ password: 'Fresh-pass-2' })).error).toBeNull();
  });

  it('an older session needs the mailed nonce: missing → reauthentication_needed, wrong → reauthentication_not_valid', async () => {
    const { supabase, email, session } = await signedIn();
    const sessionId = JSON.parse(Buffer.from(session.access_token.split('.')[1]!, 'base64url').toString()).session_id as string;
    await asPostgres((db) => db.query(`update auth.sessions set created_at = now() - interval '25 hours' where id = $1`, [sessionId]));

    const missing = await supabase.auth.updateUser({ password: 'Changed-pass-2' });
    expect(missing.error?.status).toBe(400);
    expect(missing.error?.code).toBe('reauthentication_needed');

    expect((await supabase.auth.reauthenticate()).error).toBeNull();
    const mail = auth.latestMailTo(email, 'Confirm reauthentication');
    const nonce = nonceIn(mail.html);

    const wrong = await supabase.auth.updateUser({ password: 'Changed-pass-2', nonce: nonce === '000000' ? '111111' : '000000' });
    expect(wrong.error?.status).toBe(422);
    expect(wrong.error?.code).toBe('reauthentication_not_valid');

    expect((await supabase.auth.updateUser({ password: 'Changed-pass-2', nonce })).error).toBeNull();
    expect((await auth.client().auth.signInWithPassword({ email, password: 'Changed-pass-2' })).error).toBeNull();

    // The nonce is spent.
    const reused = await supabase.auth.updateUser({ password: 'Changed-pass-3', nonce });
    expect(reused.error?.code).toBe('reauthentication_not_valid');
  });

  it('GET /reauthenticate needs a signed-in user', async () => {
    const response = await auth.request('/reauthenticate');
    expect(response.status).toBe(403);
  });
});
