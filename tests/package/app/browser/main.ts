// The browser app, bundled by Vite: sign in, read, and subscribe over the browser's own WebSocket.
// Settings come in the page's query string; the outcome goes to body[data-result] for the test.
import * as sdk from '@marquee/sdk';
import { journey } from '../journey.mjs';

const query = new URLSearchParams(location.search);
const settings = { url: query.get('url'), key: query.get('key'), search: query.get('search'), label: 'web' };

async function run(): Promise<unknown> {
  const { marquee, result } = await journey(sdk, settings);
  const stop = await marquee.notifications.subscribe(() => {});
  await stop();
  return { ...result, subscribed: true, userAgent: navigator.userAgent };
}

run().then(
  (result) => (document.body.dataset.result = JSON.stringify(result)),
  (error: unknown) => (document.body.dataset.result = JSON.stringify({ error: String(error), detail: (error as { detail?: string }).detail })),
);
