// A strict TypeScript app: the SDK's declarations must carry its types (results, inputs, the
// generated Database types, the errors) into an app, and the compiled app must run.
import { createMarquee, isMarqueeError, type Marquee, type Page, type PostItem } from '@marquee/sdk';
import type { Database, Tables } from '@marquee/sdk/database.types';
import WebSocket from 'ws';

type PostRow = Tables<'posts'>;
const postType: Database['public']['Enums']['post_type'] = 'post';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const marquee: Marquee = createMarquee({ url: env.MARQUEE_URL!, key: env.MARQUEE_KEY!, webSocket: WebSocket, options: { auth: { persistSession: false } } });
  const username = `ts_${Math.random().toString(36).slice(2, 10)}`;
  const password = 'Consumer-app-1!';
  await marquee.auth.register({ username, email: `${username}@example.com`, password });
  const session = await marquee.auth.signIn({ username, password });
  const me = await marquee.profiles.me();
  const found: Page<PostItem> = await marquee.posts.list({ search: env.MARQUEE_SEARCH!, post_type: postType });
  const rows = await marquee.supabase.from('posts').select('id, post_title').eq('post_title', found.results[0]?.post_title ?? '');
  const titles: Array<PostRow['post_title']> = (rows.data ?? []).map((row) => row.post_title);
  const missing = await marquee.posts.get({ id: 2_000_000_000 }).catch((error: unknown) => (isMarqueeError(error) ? error.status : 'not a MarqueeError'));
  console.log(JSON.stringify({ username, me: me.user.username, signedIn: session.user.id === me.id, titles, missing }));
}

await main(process.env);
