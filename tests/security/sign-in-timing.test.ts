/**
 * Sign-in timing does not tell who exists (issue 7, item 5): a login nobody has is checked against a
 * hash of the same bcrypt cost as a real one, in Marquee Local's Auth and in verify_user_password.
 * The sign-in function sends an unknown login through Auth's same path (a password grant for an
 * address no account has). Timing itself is measured by `npm run bench` (wrong password, registered
 * vs unknown, through Auth and through the function), not asserted.
 */
import bcrypt from 'bcrypt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bcryptCost, dummyPasswordHash } from '../../local/auth/passwords.ts';
import { createAccount, mailbox, sql } from '../functions/accounts.ts';
import { startAuthService, type InProcessAuth } from '../local/auth/in-process.ts';

/** The cost of the hash Auth stored for a user it just created. */
async function realCost(): Promise<number | undefined> {
  const user = await createAccount();
  const [row] = await sql<{ hash: string }>('select encrypted_password as hash from auth.users where id = $1', [user.id]);
  return bcryptCost(row!.hash);
}

describe('the dummy hash of an unknown login', () => {
  let auth: InProcessAuth;
  beforeAll(async () => {
    auth = await startAuthService();
  });
  afterAll(() => auth.close());

  it("Marquee Local Auth compares an unknown login's password with a hash of a real hash's cost", async () => {
    const cost = await realCost();
    expect(cost).toBe(10);
    expect(bcryptCost(await dummyPasswordHash())).toBe(cost);

    const compare = vi.spyOn(bcrypt, 'compare');
    try {
      const reply = await auth.request('/token?grant_type=password', { method: 'POST', body: { email: mailbox('nobody'), password: 'Wrong#pass1' } });
      expect(reply.status).toBe(400);
      expect(compare).toHaveBeenCalledTimes(1);
      expect(bcryptCost(String(compare.mock.calls[0]![1]))).toBe(cost);
    } finally {
      compare.mockRestore();
    }
  });

  it("verify_user_password's dummy hash (a user id nobody has) has a real hash's cost", async () => {
    const [row] = await sql<{ source: string }>("select pg_get_functiondef('service.verify_user_password(uuid, text)'::regprocedure) as source");
    const hashes = row!.source.match(/\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}/g) ?? [];
    expect(hashes).toHaveLength(1);
    expect(bcryptCost(hashes[0]!)).toBe(await realCost());
  });
});
