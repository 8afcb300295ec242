/**
 * Marquee's input rules: one module the SDK (Node, bundlers: `zod` from npm) and the edge functions
 * (Deno: `zod` through functions/deno.json's import map) both import, so a value one accepts the
 * other accepts too. It imports nothing but zod.
 *
 * @module
 */
export * from './messages.ts';
export * from './passwords.ts';
export * from './fields.ts';
export * from './validate.ts';
export * from './requests.ts';
export * from './social.ts';
export * from './interactions.ts';
export * from './tags.ts';
export * from './forum.ts';
export * from './posts.ts';
export * from './feed.ts';
export * from './creators.ts';
export * from './moderation.ts';
