// What every consumer app does with the @marquee/sdk it imported, whatever the runtime: register,
// sign in, then read its own profile and find the post the test published. Returns the client too,
// for the apps that go on to Realtime.
export async function journey(sdk, { url, key, label, search, webSocket }) {
  const options = { auth: { persistSession: false, autoRefreshToken: false } };
  const marquee = sdk.createMarquee({ url, key, options, ...(webSocket ? { webSocket } : {}) });
  const username = `${label}_${Math.random().toString(36).slice(2, 10)}`;
  const password = 'Consumer-app-1!';
  await marquee.auth.register({ username, email: `${username}@example.com`, password });
  await marquee.auth.signIn({ username, password });
  const me = await marquee.profiles.me();
  const found = await marquee.posts.list({ search });
  return { marquee, result: { username, me: me.user.username, titles: found.results.map((post) => post.post_title) } };
}

/** Reads the app's settings from its environment (Node and Deno). */
export function settingsFrom(env, label) {
  return { url: env.MARQUEE_URL, key: env.MARQUEE_KEY, search: env.MARQUEE_SEARCH, label };
}
