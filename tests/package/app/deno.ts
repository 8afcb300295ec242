// A Deno app importing the SDK with an `npm:` specifier (from the app's node_modules: deno.json says
// "manual"). Deno has a global WebSocket, so Realtime needs nothing passed.
import * as sdk from 'npm:@marquee/sdk';
import { journey, settingsFrom } from './journey.mjs';

const { marquee, result } = await journey(sdk, settingsFrom(Deno.env.toObject(), 'deno'));
await marquee.notifications.subscribe(() => {}).then((stop) => stop());
console.log(JSON.stringify({ ...result, subscribed: true }));
Deno.exit(0);
