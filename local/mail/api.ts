import { Hono, type Context } from 'hono';
import type { StoredMessage } from './message.ts';
import { compileSearch } from './search.ts';
import type { MailStore } from './store.ts';

const DEFAULT_LIMIT = 50;

/**
 * Mailpit's HTTP API (v1) over the store, the subset tests and tools use: list, search, read one
 * (which marks it read; `latest` is the newest), its headers, raw source and parts, set read
 * status, delete by ids / all / search, and info.
 */
export function createMailApi(store: MailStore): Hono {
  const app = new Hono();

  app.get('/api/v1/messages', (c) => {
    const { start, limit } = pagination(c);
    const all = store.all();
    return c.json(listBody(store, all.slice(start, start + limit), start, store.total, store.unread));
  });

  app.get('/api/v1/search', (c) => {
    const query = (c.req.query('query') ?? '').trim();
    if (!query) return c.text('Error: no search query', 400);
    const { start, limit } = pagination(c);
    const matches = store.all().filter(compileSearch(query));
    const unread = matches.filter((m) => !m.read).length;
    return c.json(listBody(store, matches.slice(start, start + limit), start, matches.length, unread));
  });

  app.put('/api/v1/messages', async (c) => {
    const body = await jsonBody<{ Read?: boolean; IDs?: string[]; Search?: string }>(c);
    if (!body) return c.text('invalid JSON body', 400);
    if (body.IDs?.length && body.Search) return c.text('You may specify either IDs or a search query, not both', 400);
    const targets = body.Search
      ? store.all().filter(compileSearch(body.Search))
      : body.IDs?.length
        ? body.IDs.map((id) => store.get(id)).filter((m): m is StoredMessage => m !== undefined)
        : store.all();
    for (const message of targets) message.read = body.Read === true;
    return c.text('ok');
  });

  app.delete('/api/v1/messages', async (c) => {
    const body = await jsonBody<{ IDs?: string[] }>(c);
    if (body?.IDs?.length) store.delete(body.IDs);
    else store.clear();
    return c.text('ok');
  });

  app.delete('/api/v1/search', (c) => {
    const query = (c.req.query('query') ?? '').trim();
    if (!query) return c.text('Error: no search query', 400);
    store.delete(store.all().filter(compileSearch(query)).map((m) => m.id));
    return c.text('ok');
  });

  app.get('/api/v1/message/:id', (c) => {
    const message = store.get(c.req.param('id'));
    if (!message) return notFound(c);
    message.read = true;
    return c.json(fullMessage(message));
  });

  app.get('/api/v1/message/:id/headers', (c) => {
    const message = store.get(c.req.param('id'));
    return message ? c.json(message.headers) : notFound(c);
  });

  app.get('/api/v1/message/:id/raw', (c) => {
    const message = store.get(c.req.param('id'));
    if (!message) return notFound(c);
    return c.body(new Uint8Array(message.raw), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  app.get('/api/v1/message/:id/part/:partId', (c) => {
    const part = store.get(c.req.param('id'))?.parts.get(c.req.param('partId'));
    if (!part) return notFound(c);
    return c.body(new Uint8Array(part.content), 200, {
      'Content-Type': part.contentType,
      ...(part.fileName ? { 'Content-Disposition': `attachment; filename="${part.fileName.replace(/"/g, '')}"` } : {}),
    });
  });

  app.get('/api/v1/info', (c) =>
    c.json({ Version: 'marquee-local', Messages: store.total, Unread: store.unread, Tags: {} }),
  );

  app.notFound((c) => c.text('404 page not found', 404));
  return app;
}

function listBody(store: MailStore, page: StoredMessage[], start: number, matching: number, matchingUnread: number) {
  return {
    total: store.total,
    unread: store.unread,
    count: page.length,
    messages_count: matching,
    messages_unread: matchingUnread,
    start,
    tags: [] as string[],
    messages: page.map(summary),
  };
}

/** Mailpit's MessageSummary. */
function summary(m: StoredMessage) {
  return {
    ID: m.id,
    MessageID: m.messageId,
    Read: m.read,
    From: m.from,
    To: m.to,
    Cc: m.cc,
    Bcc: m.bcc,
    ReplyTo: m.replyTo,
    Subject: m.subject,
    Created: m.created.toISOString(),
    Username: m.username,
    Tags: [] as string[],
    Size: m.size,
    Attachments: m.attachments.length,
    Snippet: m.snippet,
  };
}

/** Mailpit's Message, plus `Headers` (Mailpit serves those at `/headers`). */
function fullMessage(m: StoredMessage) {
  return {
    ID: m.id,
    MessageID: m.messageId,
    From: m.from,
    To: m.to,
    Cc: m.cc,
    Bcc: m.bcc,
    ReplyTo: m.replyTo,
    ReturnPath: m.returnPath,
    Subject: m.subject,
    ListUnsubscribe: m.listUnsubscribe,
    Date: m.date.toISOString(),
    Tags: [] as string[],
    Username: m.username,
    Text: m.text,
    HTML: m.html,
    Size: m.size,
    Inline: m.inline,
    Attachments: m.attachments,
    Headers: m.headers,
  };
}

function pagination(c: Context): { start: number; limit: number } {
  const start = Math.max(0, Number.parseInt(c.req.query('start') ?? '', 10) || 0);
  const limitRaw = Number.parseInt(c.req.query('limit') ?? '', 10);
  const limit = Number.isFinite(limitRaw) && limitRaw > 0 ? limitRaw : DEFAULT_LIMIT;
  return { start, limit };
}

async function jsonBody<T>(c: Context): Promise<T | undefined> {
  try {
    const text = await c.req.text();
    return text.trim() ? (JSON.parse(text) as T) : ({} as T);
  } catch {
    return undefined;
  }
}

function notFound(c: Context) {
  return c.text('Message not found', 404);
}
