// A plain Node CommonJS app: require the SDK, sign in and read. Run without a global WebSocket and
// without passing one, Realtime must refuse with the SDK's own advice.
const sdk = require('@marquee/sdk');

async function main() {
  const { journey, settingsFrom } = await import('./journey.mjs');
  const { marquee, result } = await journey(sdk, settingsFrom(process.env, 'cjs'));
  const refused = await marquee.notifications.subscribe(() => {}).then(
    () => null,
    (error) => ({ isMarqueeError: sdk.isMarqueeError(error), code: error.code, message: error.message }),
  );
  console.log(JSON.stringify({ ...result, realtime: refused }));
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
