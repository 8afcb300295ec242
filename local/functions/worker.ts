/**
 * Deno bootstrap for one edge function: Deno code, run by the real Deno binary, never by Node
 * (the Node tsconfig must exclude this file).
 *
 *   deno run --allow-net --allow-env --allow-read=<functions folder>,<deno cache> worker.ts <entrypoint file URL>
 *
 * It listens on a free loopback port first, then replaces `Deno.serve` so the function's own call
 * hands over its handler instead of opening a port, imports the entrypoint, and prints
 * `MARQUEE_WORKER_READY {"port": n}` on stdout. Requests reach the handler the way Supabase's edge
 * runtime delivers them: a thrown error goes to the function's `onError` when it has one, else it is
 * logged and answered `500 Internal Server Error`; the process never dies of it. The worker exits
 * when its stdin closes, so it cannot outlive the host that started it.
 */

const READY_MARKER = 'MARQUEE_WORKER_READY';
const BOOT_ERROR_MARKER = 'MARQUEE_WORKER_BOOT_ERROR';

type Handler = (request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) => Response | Promise<Response>;
/** What a function may pass to `Deno.serve` (the parts the worker honours). */
interface ServeOptions {
  handler?: Handler;
  onError?: (error: unknown) => Response | Promise<Response>;
  onListen?: (addr: Deno.NetAddr) => void;
}
interface CapturedServe {
  handler: Handler;
  onError?: (error: unknown) => Response | Promise<Response>;
}

const entrypoint = Deno.args[0];
if (!entrypoint) {
  console.error(`${BOOT_ERROR_MARKER} usage: worker.ts <entrypoint file URL>`);
  Deno.exit(2);
}

exitWhenStdinCloses();
keepAliveOnUncaughtErrors();

let captured: CapturedServe | undefined;

const listening = Promise.withResolvers<Deno.NetAddr>();
const server = Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: (addr) => listening.resolve(addr),
    onError: (error) => {
      console.error(error);
      return internalServerError();
    },
  },
  dispatch,
);
const addr = await listening.promise;

Object.defineProperty(Deno, 'serve', { value: captureServe, writable: true, configurable: true });

try {
  await import(entrypoint);
} catch (error) {
  console.error(`${BOOT_ERROR_MARKER}`, error);
  await server.shutdown();
  Deno.exit(1);
}
if (!captured) console.error('warning: the function did not call Deno.serve(); its requests will fail');
console.log(`${READY_MARKER} ${JSON.stringify({ port: addr.port })}`);

async function dispatch(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Promise<Response> {
  if (!captured) {
    return Response.json(
      { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' },
      { status: 503 },
    );
  }
  try {
    const response = await captured.handler(request, info);
    if (!(response instanceof Response)) {
      throw new TypeError('Return value from serve handler must be a response or a promise resolving to a response');
    }
    return response;
  } catch (error) {
    if (captured.onError) {
      try {
        return await captured.onError(error);
      } catch (onErrorFailure) {
        console.error(onErrorFailure);
        return internalServerError();
      }
    }
    console.error(error);
    return internalServerError();
  }
}

/** The edge runtime's answer to a handler that throws: a bare 500 with this text and no content type. */
function internalServerError(): Response {
  return new Response(new TextEncoder().encode('Internal Server Error'), { status: 500 });
}

/**
 * Stands in for `Deno.serve` inside the function: accepts every overload, keeps the handler (and
 * `onError`), and returns a server object describing the worker's real listener.
 */
function captureServe(first: Handler | ServeOptions | undefined, second?: Handler) {
  const options: ServeOptions = typeof first === 'object' && first !== null ? first : {};
  const handler = typeof first === 'function' ? first : typeof second === 'function' ? second : options.handler;
  if (typeof handler !== 'function') throw new TypeError('A handler function must be provided.');
  captured = { handler, onError: typeof options.onError === 'function' ? options.onError : undefined };
  const onListen = options.onListen;
  if (typeof onListen === 'function') {
    queueMicrotask(() => onListen({ hostname: addr.hostname, port: addr.port, transport: 'tcp' }));
  }
  return {
    addr,
    finished: server.finished,
    shutdown: () => server.shutdown(),
    ref() {},
    unref() {},
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function exitWhenStdinCloses() {
  (async () => {
    try {
      for await (const _chunk of Deno.stdin.readable) {
        // the host never writes; reading only notices when the pipe closes
      }
    } catch {
      // a broken pipe means the same thing as EOF
    }
    Deno.exit(0);
  })();
}

function keepAliveOnUncaughtErrors() {
  globalThis.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    console.error('Uncaught (in promise)', event.reason);
  });
  globalThis.addEventListener('error', (event) => {
    event.preventDefault();
    console.error('Uncaught', event.error);
  });
}
