/**
 * Marquee's input rules, shared with the SDK (sdk/src/rules): the functions import them from here so
 * the path outside functions/ is written once. A relative import, so `supabase functions deploy`
 * bundles the files with each function.
 */
export * from '../../sdk/src/rules/index.ts';
