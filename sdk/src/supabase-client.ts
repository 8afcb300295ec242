/**
 * The supabase-js client type every namespace is built over (its own module, so the namespaces and
 * client.ts, which registers them, do not import each other).
 *
 * @module
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from './database.types.ts';

/** The supabase-js client typed with Marquee's generated schema. */
export type MarqueeSupabaseClient = SupabaseClient<Database>;
