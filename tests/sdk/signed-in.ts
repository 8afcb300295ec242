/**
 * What the SDK journey tests share: a fresh account signed in through its own Marquee client (its
 * own client address, so per-address limits count it alone), and the MarqueeError a call throws.
 */
import ws from 'ws';
import { createMarquee, isMarqueeError, type Marquee } from '../../sdk/src/index.ts';
import { createAccount, randomIp, sql, type TestUser } from '../functions/accounts.ts';
import { stackEnv } from '../helpers/env.ts';

export interface Signed {
  marquee: Marquee;
  user: TestUser;
}

/** A new account with `role`, signed in on a Marquee client of its own. */
export async function signedIn(role: 'visitor' | 'creator' = 'visitor'): Promise<Signed> {
  const user = await createAccount();
  if (role !== 'visitor') await sql('update public.user_roles set role = $2 where user_id = $1', [user.id, role]);
  const stack = stackEnv();
  const marquee = createMarquee({
    url: stack.url,
    key: stack.anonKey,
    webSocket: ws,
    options: {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { headers: { 'X-Forwarded-For': randomIp() } },
    },
  });
  const { error } = await marquee.supabase.auth.signInWithPassword({ email: user.email, password: user.password });
  if (error) throw error;
  return { marquee, user };
}

/** The error a call throws (a MarqueeError), or a failure when it succeeds. */
export async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isMarqueeError(error)) return { status: error.status, fields: error.fields, detail: error.detail };
    throw error;
  }
  throw new Error('expected a refusal');
}
