import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../helpers/env.ts';

/**
 * Mail capture through Mailpit's own API: what works here works against the CLI stack's Mailpit.
 * Other files send mail at the same time, so every test uses its own addresses and never deletes
 * messages it did not send.
 */
const stack = stackEnv();

interface Address {
  Name: string;
  Address: string;
}
interface Summary {
  ID: string;
  MessageID: string;
  Read: boolean;
  From: Address;
  To: Address[];
  Cc: Address[];
  Bcc: Address[];
  Subject: string;
  Created: string;
  Size: number;
  Attachments: number;
  Snippet: string;
}
interface List {
  total: number;
  unread: number;
  count: number;
  messages_count: number;
  start: number;
  tags: string[];
  messages: Summary[];
}

const transport = nodemailer.createTransport({ host: new URL(stack.mailUrl).hostname, port: stack.smtpPort, secure: false });
afterAll(() => transport.close());

const mailbox = (label: string) => `${label}-${randomUUID().slice(0, 8)}@marquee.test`;

async function api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.mailUrl}${path}`, init);
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: (type.includes('json') ? await response.json() : await response.text()) as T };
}

const search = (query: string) => api<List>(`/api/v1/search?query=${encodeURIComponent(query)}`);

describe('mail capture (Mailpit API)', () => {
  const alice = mailbox('alice');
  const bob = mailbox('bob');
  const hidden = mailbox('hidden');

  beforeAll(async () => {
    await transport.sendMail({
      from: '"Marquee" <no-reply@marquee.test>',
      to: `Alice Example <${alice}>`,
      bcc: hidden,
      subject: 'Your Marquee code',
      text: 'Your code is 123456. It expires in 10 minutes.',
      html: '<p>Your code is <b>123456</b>.</p>',
      attachments: [{ filename: 'terms.txt', content: 'be kind' }],
    });
    await transport.sendMail({ from: 'no-reply@marquee.test', to: bob, subject: 'Welcome, Bob', text: 'Hello Bob' });
  });

  it('lists messages newest first in Mailpit’s shape', async () => {
    const { status, body } = await api<List>('/api/v1/messages?limit=500');
    expect(status).toBe(200);
    expect(body).toMatchObject({ start: 0, tags: expect.any(Array) });
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.count).toBe(body.messages.length);
    const ours = body.messages.filter((m) => [alice, bob].includes(m.To[0]?.Address ?? ''));
    expect(ours.map((m) => m.Subject)).toEqual(['Welcome, Bob', 'Your Marquee code']);
    expect(ours[1]).toMatchObject({
      ID: expect.any(String),
      Read: false,
      From: { Name: 'Marquee', Address: 'no-reply@marquee.test' },
      To: [{ Name: 'Alice Example', Address: alice }],
      Bcc: [{ Name: '', Address: hidden }],
      Attachments: 1,
      Snippet: 'Your code is 123456. It expires in 10 minutes.',
    });
    expect(new Date(ours[1]!.Created).getTime()).not.toBeNaN();
  });

  it('paginates with start and limit', async () => {
    const first = await api<List>('/api/v1/messages?start=0&limit=1');
    expect(first.body.messages).toHaveLength(1);
    expect(first.body.count).toBe(1);
    const second = await api<List>('/api/v1/messages?start=1&limit=1');
    expect(second.body.start).toBe(1);
    expect(second.body.messages[0]?.ID).not.toBe(first.body.messages[0]?.ID);
  });

  it('searches by to:, from:, subject: and free text', async () => {
    const byTo = await search(`to:${alice}`);
    expect(byTo.status).toBe(200);
    expect(byTo.body.messages.map((m) => m.Subject)).toEqual(['Your Marquee code']);
    expect(byTo.body.messages_count).toBe(1);

    const byBcc = await search(`bcc:${hidden}`);
    expect(byBcc.body.messages).toHaveLength(1);

    const combined = await search(`from:no-reply@marquee.test subject:"Welcome, Bob" to:${bob}`);
    expect(combined.body.messages.map((m) => m.To[0]?.Address)).toEqual([bob]);

    const freeText = await search(`"expires in 10" to:${alice}`);
    expect(freeText.body.messages).toHaveLength(1);

    const negated = await search(`to:${alice} -subject:code`);
    expect(negated.body.messages).toHaveLength(0);
  });

  it('reads one message in full (by ID and as latest) and marks it read', async () => {
    const [summary] = (await search(`to:${alice}`)).body.messages;
    const { status, body } = await api<{
      ID: string;
      Subject: string;
      Text: string;
      HTML: string;
      Attachments: Array<{ FileName: string; ContentType: string; Size: number }>;
    }>(`/api/v1/message/${summary!.ID}`);
    expect(status).toBe(200);
    expect(body.ID).toBe(summary!.ID);
    expect(body.Text).toContain('Your code is 123456');
    expect(body.HTML).toContain('<b>123456</b>');
    expect(body.Attachments).toEqual([expect.objectContaining({ FileName: 'terms.txt', ContentType: 'text/plain', Size: 7 })]);
    expect((await search(`to:${alice}`)).body.messages[0]?.Read).toBe(true);

    const headers = await api<Record<string, string[]>>(`/api/v1/message/${summary!.ID}/headers`);
    expect(headers.body.Subject).toEqual(['Your Marquee code']);

    const latest = await api<{ ID: string }>('/api/v1/message/latest');
    expect(latest.status).toBe(200);
    expect(typeof latest.body.ID).toBe('string');
  });

  it('serves the raw source', async () => {
    const [summary] = (await search(`to:${bob}`)).body.messages;
    const raw = await api<string>(`/api/v1/message/${summary!.ID}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.body).toMatch(/^Subject: Welcome, Bob$/m);
    expect(raw.body).toContain('Hello Bob');
  });

  it('answers 404 for an unknown message', async () => {
    expect((await api(`/api/v1/message/doesNotExist000000000000`)).status).toBe(404);
  });

  it('deletes by IDs and by search', async () => {
    const carol = mailbox('carol');
    await transport.sendMail({ from: 'no-reply@marquee.test', to: carol, subject: 'one', text: '1' });
    await transport.sendMail({ from: 'no-reply@marquee.test', to: carol, subject: 'two', text: '2' });
    await transport.sendMail({ from: 'no-reply@marquee.test', to: carol, subject: 'three', text: '3' });
    const found = (await search(`to:${carol}`)).body.messages;
    expect(found).toHaveLength(3);

    const one = found.find((m) => m.Subject === 'one')!;
    const deleted = await api<string>('/api/v1/messages', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ IDs: [one.ID] }),
    });
    expect(deleted).toEqual({ status: 200, body: 'ok' });
    expect((await search(`to:${carol}`)).body.messages.map((m) => m.Subject).sort()).toEqual(['three', 'two']);
    expect((await api(`/api/v1/message/${one.ID}`)).status).toBe(404);

    const bySearch = await api<string>(`/api/v1/search?query=${encodeURIComponent(`to:${carol}`)}`, { method: 'DELETE' });
    expect(bySearch.status).toBe(200);
    expect((await search(`to:${carol}`)).body.messages).toHaveLength(0);
    // others' mail is untouched
    expect((await search(`to:${bob}`)).body.messages).toHaveLength(1);
  });

  it('rejects a search without a query', async () => {
    expect((await api('/api/v1/search?query=')).status).toBe(400);
  });
});
