// A plain Node ESM app (no TypeScript): import the SDK, sign in and read; then, with `ws` passed as
// createMarquee's webSocket (Node 20 has no global one), subscribe to its notifications and print the
// first that arrives.
import * as sdk from '@marquee/sdk';
import WebSocket from 'ws';
import { journey, settingsFrom } from './journey.mjs';

const { marquee, result } = await journey(sdk, { ...settingsFrom(process.env, 'esm'), webSocket: WebSocket });
console.log(JSON.stringify(result));
const arrived = new Promise((resolve) => {
  marquee.notifications.subscribe(resolve).then(() => console.log(JSON.stringify({ subscribed: true })));
});
console.log(JSON.stringify({ notification: (await arrived).message }));
process.exit(0);
