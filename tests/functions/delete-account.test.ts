import { describe, expect, it } from 'vitest';
import { serviceClient, userClient } from '../helpers/clients.ts';
import { accessToken, call, createAccount, sql } from './accounts.ts';

/** functions/delete-account: the user's avatars, then the Auth user (hard delete, everything cascades). */
describe('functions/delete-account', { timeout: 90_000 }, () => {
  it('removes the avatars and the account', async () => {
    const user = await createAccount();
    const token = await accessToken(user);
    const avatars = userClient(token).storage.from('avatars');
    for (const name of ['a.png', 'b.png']) {
      const { error } = await avatars.upload(`${user.id}/${name}`, new Uint8Array([137, 80, 78, 71]), { contentType: 'image/png' });
      expect(error).toBeNull();
    }
    const someoneElse = await createAccount();
    const otherAvatar = `${someoneElse.id}/keep.png`;
    expect((await userClient(await accessToken(someoneElse)).storage.from('avatars').upload(otherAvatar, new Uint8Array([1]), { contentType: 'image/png' })).error).toBeNull();

    const reply = await call('delete-account', {}, { token });
    expect(reply).toMatchObject({ status: 200, body: { detail: 'Account deleted successfully.' } });

    expect(await sql('select 1 from auth.users where id = $1', [user.id])).toEqual([]);
    expect(await sql('select 1 from public.profiles where id = $1', [user.id])).toEqual([]);
    expect(await sql("select name from storage.objects where bucket_id = 'avatars' and name like $1", [`${user.id}/%`])).toEqual([]);
    expect(await sql("select name from storage.objects where bucket_id = 'avatars' and name = $1", [otherAvatar])).toHaveLength(1);
    const { error } = await serviceClient().auth.admin.getUserById(user.id);
    expect(error?.status).toBe(404);

    // The old token (still unexpired) no longer names a user.
    expect(await call('delete-account', {}, { token })).toMatchObject({ status: 401, body: { detail: 'Invalid or expired token.' } });
    expect((await call('sign-in', { username: user.username, password: user.password })).status).toBe(401);
  });

  it('needs a signed-in user', async () => {
    expect(await call('delete-account', {})).toMatchObject({ status: 401, body: { detail: 'Authentication credentials were not provided.' } });
  });
});
