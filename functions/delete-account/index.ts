/**
 * delete-account: the signed-in user deletes their account for good.
 * `POST` → `200 {"detail": "Account deleted successfully."}`. Their files in the `avatars` bucket
 * (`<user id>/…`) are removed first, then the Auth user (hard delete); every row of theirs goes
 * with it through the foreign keys' `on delete cascade`. An account that is not active (checked on
 * its live profile row) is refused: `403 {"detail": <its status message>}`.
 */
import { json, readBodyText } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { adminClient, requireCaller } from '../_shared/supabase.ts';

const AVATARS = 'avatars';
const PAGE = 1000;

/** Every object path under `prefix` in `bucket`, folders included (Storage lists one level at a time). */
async function objectPaths(bucket: string, prefix: string): Promise<string[]> {
  const storage = adminClient().storage.from(bucket);
  const paths: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { data, error } = await storage.list(prefix, { limit: PAGE, offset });
    if (error) {
      // No avatars bucket on this project: nothing to remove.
      if (/not found/i.test(error.message)) return paths;
      throw error;
    }
    for (const item of data) {
      const path = `${prefix}/${item.name}`;
      // A folder has no id; its objects are listed under it.
      if (item.id === null) paths.push(...(await objectPaths(bucket, path)));
      else paths.push(path);
    }
    if (data.length < PAGE) return paths;
  }
}

Deno.serve(
  postHandler(async (req) => {
    // The live profile decides: a suspended, banned or deactivated account cannot delete itself
    // (its audit and banned identities must stay with an admin's decision).
    const auth = await requireCaller(req, { requireActive: true });
    if (auth.response) return auth.response;
    const read = await readBodyText(req);
    if (read.response) return read.response;
    const { user } = auth.caller;
    const client = adminClient();

    const paths = await objectPaths(AVATARS, user.id);
    for (let i = 0; i < paths.length; i += PAGE) {
      const { error } = await client.storage.from(AVATARS).remove(paths.slice(i, i + PAGE));
      if (error) throw error;
    }

    const { error } = await client.auth.admin.deleteUser(user.id, false);
    if (error) throw error;
    return json({ detail: 'Account deleted successfully.' });
  }),
);
