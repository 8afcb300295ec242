/** What every storage route shares: the caller's identity, JSON bodies and storage-api's error JSON. */
import type { Context } from 'hono';
import type { Logger } from '../../shared/logger.ts';
import { ERRORS, StorageError, toStorageError } from '../errors.ts';

export type Handler = (c: Context) => Promise<Response>;

/** Runs a route, answering any failure as storage-api's error handler does. */
export function handler(log: Logger, route: Handler): Handler {
  return async (c) => {
    try {
      return await route(c);
    } catch (error) {
      const storageError = toStorageError(error);
      if (storageError.statusCode === 500) log.error('storage request failed', { path: c.req.path, error: (error as Error).message });
      return errorResponse(storageError);
    }
  };
}

export function errorResponse(error: StorageError): Response {
  return Response.json(error.render(), { status: error.httpStatus });
}

/** A JSON request body (an object); anything else is storage-api's 400 InvalidRequest. */
export async function jsonBody<T extends object>(c: Context): Promise<Partial<T>> {
  const text = await c.req.text();
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object') return value as Partial<T>;
  } catch {
    // fall through
  }
  throw new StorageError(400, 'InvalidRequest', 'Body is not valid JSON');
}

export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw ERRORS.missingParameter(name);
  return value;
}

/** The object key of a `/:bucket/:key{.+}` route. */
export function keyParam(c: Context): string {
  return c.req.param('key') ?? '';
}
