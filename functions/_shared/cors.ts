/**
 * CORS for functions called from browsers, as Supabase's edge function docs recommend: every
 * response carries these headers, and the preflight `OPTIONS` request is answered before any other
 * work (the gateway does not verify a JWT on preflight, so it must not need one here either).
 */
export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
};

/** The preflight answer for an `OPTIONS` request, or `null` so the function carries on. */
export function handleCors(req: Request): Response | null {
  return req.method === 'OPTIONS' ? new Response('ok', { headers: corsHeaders }) : null;
}
