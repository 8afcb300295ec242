import http from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** Headers that describe one hop, not the message; never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** The worker could not be reached or closed the connection before answering. */
export class WorkerConnectionError extends Error {
  constructor(cause: Error) {
    super(`worker connection failed: ${cause.message}`, { cause });
  }
}

/**
 * Sends `request` to a worker on `127.0.0.1:port` with the path `pathWithQuery`, streaming the body
 * both ways. Resolves with the worker's response as soon as its headers arrive. `onDone` is called
 * once when the exchange is over: the response body ended or was cancelled, or the request failed.
 */
export function proxyToWorker(request: Request, port: number, pathWithQuery: string, onDone?: () => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      onDone?.();
    };
    const headers: http.OutgoingHttpHeaders = {};
    request.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) headers[name] = value;
    });
    // Fetch's Headers joins Set-Cookie and others with ", "; a request carries no Set-Cookie.

    const upstream = http.request({ host: '127.0.0.1', port, method: request.method, path: pathWithQuery, headers, agent });
    let answered = false;

    upstream.on('response', (incoming) => {
      answered = true;
      incoming.once('close', finish);
      const responseHeaders = new Headers();
      const raw = incoming.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i]!;
        if (!HOP_BY_HOP.has(name.toLowerCase())) responseHeaders.append(name, raw[i + 1]!);
      }
      const status = incoming.statusCode ?? 502;
      const bodyless = request.method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
      if (bodyless) incoming.resume();
      const body = bodyless ? null : (Readable.toWeb(incoming) as unknown as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status, statusText: incoming.statusMessage, headers: responseHeaders }));
    });

    upstream.on('error', (error) => {
      if (answered) return;
      reject(new WorkerConnectionError(error));
      finish();
    });
    upstream.once('close', () => {
      if (!answered) finish();
    });

    request.signal.addEventListener('abort', () => upstream.destroy(), { once: true });

    if (request.body) {
      const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
      body.on('error', (error) => upstream.destroy(error));
      body.pipe(upstream);
    } else {
      upstream.end();
    }
  });
}
