/**
 * The answers Supabase's edge runtime gives for requests that never reach, or never return from, a
 * function (the CLI's `main.ts` template), so clients see the same bodies here.
 */

/** `404` text, as the edge runtime answers an unknown function name. */
export function functionNotFound(): Response {
  return new Response('Function not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}

/** `401 {"msg": …}` when verify_jwt is on and the token is missing, malformed or invalid. */
export function unauthorized(msg: string): Response {
  return Response.json({ msg }, { status: 401 });
}

/** `503` when the worker could not start (the module threw on import, or it timed out). */
export function bootError(): Response {
  return Response.json({ code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' }, { status: 503 });
}

/** `500` when the worker died while handling the request. */
export function workerError(): Response {
  return Response.json(
    { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' },
    { status: 500 },
  );
}
