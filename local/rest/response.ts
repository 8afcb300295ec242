/** Turns the final statement's row into the HTTP response: status, Content-Range, GUC headers/status. */
import { RestError } from './errors.ts';
import type { Media, RestRequest } from './request.ts';
import type { Row } from './tx.ts';

export interface FinalRow {
  total: number | undefined;
  pageTotal: number;
  body: string;
  gucHeaders: string | null;
  gucStatus: string | null;
}

export function finalRow(row: Row | undefined): FinalRow {
  return {
    total: row?.total_result_set == null ? undefined : Number(row.total_result_set),
    pageTotal: Number(row?.page_total ?? 0),
    body: String(row?.body ?? ''),
    gucHeaders: (row?.response_headers as string | null | undefined) ?? null,
    gucStatus: (row?.response_status as string | null | undefined) ?? null,
  };
}

const CONTENT_TYPES: Record<Media, string> = {
  json: 'application/json; charset=utf-8',
  object: 'application/vnd.pgrst.object+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  openapi: 'application/openapi+json; charset=utf-8',
};

export function contentRange(offset: number, pageTotal: number, total: number | undefined): string {
  const t = total === undefined ? '*' : String(total);
  return pageTotal === 0 ? `*/${t}` : `${offset}-${offset + pageTotal - 1}/${t}`;
}

/** PostgREST answers 206 when a count shows the page is not the whole result, 416 past the end. */
export function rangeStatus(offset: number, pageTotal: number, total: number | undefined): number {
  if (total === undefined) return 200;
  if (offset > total) {
    throw new RestError(416, 'PGRST103', 'Requested range not satisfiable',
      `An offset of ${offset} was requested, but there are only ${total} rows.`, null,
      { 'Content-Range': `*/${total}` });
  }
  return pageTotal < total ? 206 : 200;
}

export function preferenceApplied(r: RestRequest, applied: string[]): Record<string, string> {
  return applied.length > 0 ? { 'Preference-Applied': applied.join(', ') } : {};
}

export function respond(
  r: RestRequest,
  status: number,
  body: string | null,
  headers: Record<string, string>,
  row: FinalRow | undefined,
  schemas: string[],
): Response {
  const out = new Headers();
  if (body !== null) out.set('Content-Type', CONTENT_TYPES[r.media === 'openapi' ? 'json' : r.media]);
  if (schemas.length > 1) out.set('Content-Profile', r.schema);
  for (const [k, v] of Object.entries(headers)) out.set(k, v);
  let finalStatus = status;
  if (row?.gucHeaders) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.gucHeaders);
    } catch {
      parsed = undefined;
    }
    const valid = Array.isArray(parsed) && parsed.every((h) => h && typeof h === 'object' && Object.keys(h).length === 1 && typeof Object.values(h)[0] === 'string');
    if (!valid) {
      throw new RestError(500, 'PGRST111', 'response.headers guc must be a JSON array composed of objects with a single key and a string value');
    }
    for (const h of parsed as Record<string, string>[]) {
      const [k, v] = Object.entries(h)[0]!;
      if (k.toLowerCase() === 'set-cookie') out.append(k, v);
      else out.set(k, v);
    }
  }
  if (row?.gucStatus) {
    const s = Number(row.gucStatus);
    if (!Number.isInteger(s) || s < 100 || s > 599) throw new RestError(500, 'PGRST112', 'response.status guc must be a valid status code');
    finalStatus = s;
  }
  const noBody = r.method === 'HEAD' || finalStatus === 204 || finalStatus === 304 || body === null;
  if (finalStatus === 204 || body === null) out.delete('Content-Type');
  return new Response(noBody ? null : body, { status: finalStatus, headers: out });
}

export function errorResponse(error: RestError): Response {
  const headers = new Headers({ 'Content-Type': 'application/json; charset=utf-8', ...error.headers });
  return new Response(error.body(), { status: error.status, headers });
}
