/**
 * search: public search, signed in or not (verify_jwt = false; a token that is sent must be valid).
 * A signed-in caller's RPC runs as them (their token), so the posts and profiles policies and the
 * RPCs' own exclusions apply exactly as through REST. The RPCs are not executable by anon (no definer
 * code is), so a signed-out caller's RPC runs as service_role without a user: auth.uid() is null and
 * the RPCs filter explicitly as a signed-out adult. The exclusions (blocks both ways, the caller's hides and reports, private and
 * unlisted, moderation-hidden, not-ready uploads, children's posts for adults) apply exactly as
 * through REST.
 * - `GET /search?query=dance&page=1&page_size=20` → `200 {query, page, page_size, next, previous,
 *   results: [{id, post_title, post_type, post_description, created_by (username), created_at,
 *   priority, trending_score, reels_data, user_profile, …}]}` (000 §11; rpc search_posts).
 * - `GET /search/trending?page=&page_size=&post_type=` → the same items by trending score, no query.
 * - `GET /search/videos?q=&category=&duration_min=&duration_max=&quality=&ordering=&page=&page_size=`
 *   → 003's `PaginatedResponse<Video> & {facets: {categories, qualities}}` (rpc search_videos).
 * Bad input → `400 {"query": ["…"]}` (blank, over 200 characters, only wildcards or quotes);
 * a page past the last → `404 {"detail": "Invalid page."}`; an invalid token → 401.
 */
import { createClient } from 'npm:@supabase/supabase-js@2';
import { decodeJwt } from 'npm:jose@5';
import { handleCors } from '../_shared/cors.ts';
import { detailError, type FieldErrors, json, notFound, unauthorized, validationError } from '../_shared/errors.ts';
import { unexpected } from '../_shared/handler.ts';
import { env } from '../_shared/supabase.ts';
import { type Args, postSearchArgs, trendingArgs, videoSearchArgs } from './params.ts';

const ROUTES: Record<string, { rpc: string; read: (params: URLSearchParams) => { args: Args; errors: FieldErrors } }> = {
  '/': { rpc: 'search_posts', read: postSearchArgs },
  '/trending': { rpc: 'trending_posts', read: trendingArgs },
  '/videos': { rpc: 'search_videos', read: videoSearchArgs },
};

interface RpcError {
  code?: string;
  message?: string;
  details?: string | null;
}

/** The RPC's refusal in the project's style: 400 with fields, or {"detail"} with its status. */
function refusal(error: RpcError, status: number): Response {
  if (error.code === '23514' && error.details) {
    try {
      return validationError(JSON.parse(error.details) as FieldErrors);
    } catch {
      // not field errors: fall through
    }
  }
  if (status === 401 || error.code === 'PGRST301' || error.code === 'PGRST303') return unauthorized('Invalid or expired token.');
  if (status === 404 || error.code === 'PT404') return notFound(error.message || 'Not found.');
  if (status === 403) return detailError(403, error.message || 'You do not have permission to perform this action.');
  console.error(`search: ${error.code ?? ''} ${error.message ?? ''}`);
  return unexpected();
}

/**
 * The caller's token when it names a user (PostgREST verifies it on the RPC call: a forged one is a
 * 401 there), null when signed out (no token, or the anon key), false when it is not a JWT at all.
 */
function signedInToken(req: Request): string | null | false {
  const header = req.headers.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return false;
  try {
    const claims = decodeJwt(match[1]!);
    return claims.role === 'anon' ? null : match[1]!;
  } catch {
    return false;
  }
}

async function handle(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const sub = '/' + url.pathname.replace(/^\/*search/, '').replace(/^\/+|\/+$/g, '');
  const route = Object.hasOwn(ROUTES, sub) ? ROUTES[sub] : undefined;
  if (!route) return notFound();
  if (req.method !== 'GET') {
    return json({ detail: `Method "${req.method}" not allowed.` }, 405, { Allow: 'GET, OPTIONS' });
  }
  const { args, errors } = route.read(url.searchParams);
  if (Object.keys(errors).length > 0) return validationError(errors);

  const userToken = signedInToken(req);
  if (userToken === false) return unauthorized('Invalid or expired token.');
  const client = createClient(env('SUPABASE_URL'), userToken ? env('SUPABASE_ANON_KEY') : env('SUPABASE_SERVICE_ROLE_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(userToken ? { global: { headers: { Authorization: `Bearer ${userToken}` } } } : {}),
  });
  const { data, error, status } = await client.rpc(route.rpc, args);
  if (error) return refusal(error, status);
  return json(data);
}

Deno.serve(async (req) => {
  const preflight = handleCors(req);
  if (preflight) return preflight;
  try {
    return await handle(req);
  } catch (error) {
    console.error(`search: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}`);
    return unexpected();
  }
});
