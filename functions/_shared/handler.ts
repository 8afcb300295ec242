/**
 * The frame every account function runs in: CORS preflight, POST only (405 in DRF's words), one
 * function's sub-routes (`/password-reset/request` …), and no internal error ever leaving the
 * function (500 with a fixed message; the error is logged).
 */
import { handleCors } from './cors.ts';
import { json, notFound } from './errors.ts';

export type Handler = (req: Request) => Promise<Response>;

export const UNEXPECTED = 'An unexpected error occurred. Please try again later.';

/** `500 {"detail": UNEXPECTED}`: the answer to any failure that is not the caller's. */
export const unexpected = () => json({ detail: UNEXPECTED }, 500);

function methodNotAllowed(method: string): Response {
  return json({ detail: `Method "${method}" not allowed.` }, 405, { Allow: 'POST, OPTIONS' });
}

async function guarded(req: Request, handler: Handler): Promise<Response> {
  try {
    return await handler(req);
  } catch (error) {
    console.error(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}`);
    return unexpected();
  }
}

/** A function with one POST endpoint. */
export function postHandler(handler: Handler): (req: Request) => Promise<Response> {
  return (req) => {
    const preflight = handleCors(req);
    if (preflight) return Promise.resolve(preflight);
    if (req.method !== 'POST') return Promise.resolve(methodNotAllowed(req.method));
    return guarded(req, handler);
  };
}

/**
 * A function with POST sub-routes: `routes` maps `/request` to its handler for a request to
 * `/functions/v1/<name>/request`, which the function sees as `/<name>/request` (`base`). An unknown
 * sub-route answers 404 {"detail": "Not found."}.
 */
export function postRouter(base: string, routes: Record<string, Handler>): (req: Request) => Promise<Response> {
  return (req) => {
    const preflight = handleCors(req);
    if (preflight) return Promise.resolve(preflight);
    let path = new URL(req.url).pathname;
    if (path.startsWith(base)) path = path.slice(base.length);
    path = '/' + path.replace(/^\/+|\/+$/g, '');
    const handler = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!handler) return Promise.resolve(notFound());
    if (req.method !== 'POST') return Promise.resolve(methodNotAllowed(req.method));
    return guarded(req, handler);
  };
}
