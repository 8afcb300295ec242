import { createHash, randomInt } from 'node:crypto';
import PostalMime, { type Address, type Attachment } from 'postal-mime';

/** An address as Mailpit writes it. */
export interface MailAddress {
  Name: string;
  Address: string;
}

/** An attachment's metadata as Mailpit writes it (content kept aside). */
export interface MailAttachment {
  PartID: string;
  FileName: string;
  ContentType: string;
  ContentID: string;
  Size: number;
  Checksums: { MD5: string; SHA1: string; SHA256: string };
}

/** One captured message: what the Mailpit API reports, plus the raw source. */
export interface StoredMessage {
  id: string;
  messageId: string;
  read: boolean;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  replyTo: MailAddress[];
  returnPath: string;
  subject: string;
  /** The Date header when it parses, else the time received. */
  date: Date;
  created: Date;
  username: string;
  size: number;
  text: string;
  html: string;
  snippet: string;
  /** Header name (as written) → values, in order. */
  headers: Record<string, string[]>;
  attachments: MailAttachment[];
  inline: MailAttachment[];
  /** Part content by PartID. */
  parts: Map<string, { contentType: string; fileName: string; content: Buffer }>;
  listUnsubscribe: { Header: string; Links: string[]; Errors: string; HeaderPost: string };
  raw: Buffer;
  /** Lowercased text the free-text search looks in. */
  searchText: string;
}

export interface Envelope {
  mailFrom: string | undefined;
  rcptTo: string[];
  username: string | undefined;
}

const SNIPPET_LENGTH = 250;
const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A 22-character base62 id, the shape of Mailpit's ids. */
export function newMessageId(): string {
  let id = '';
  for (let i = 0; i < 22; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** Parses a raw RFC 5322 message (postal-mime) into what the store keeps. */
export async function parseMessage(raw: Buffer, envelope: Envelope, received = new Date()): Promise<StoredMessage> {
  const email = await PostalMime.parse(raw);

  const headers: Record<string, string[]> = {};
  for (const header of email.headers) (headers[canonicalHeaderName(header.originalKey)] ??= []).push(header.value);

  const from = email.from ? (flatten([email.from])[0] ?? null) : null;
  const to = flatten(email.to);
  const cc = flatten(email.cc);
  const headerRecipients = new Set([...to, ...cc].map((a) => a.Address.toLowerCase()));
  const bcc = flatten(email.bcc);
  for (const rcpt of envelope.rcptTo) {
    const lower = rcpt.toLowerCase();
    if (!headerRecipients.has(lower) && !bcc.some((a) => a.Address.toLowerCase() === lower)) {
      bcc.push({ Name: '', Address: rcpt });
    }
  }
  const replyTo = flatten(email.replyTo);

  const attachments: MailAttachment[] = [];
  const inline: MailAttachment[] = [];
  const parts = new Map<string, { contentType: string; fileName: string; content: Buffer }>();
  email.attachments.forEach((attachment, index) => {
    const partId = String(index + 1);
    const content = attachmentContent(attachment);
    parts.set(partId, { contentType: attachment.mimeType, fileName: attachment.filename ?? '', content });
    const info: MailAttachment = {
      PartID: partId,
      FileName: attachment.filename ?? '',
      ContentType: attachment.mimeType,
      ContentID: (attachment.contentId ?? '').replace(/^<|>$/g, ''),
      Size: content.length,
      Checksums: {
        MD5: createHash('md5').update(content).digest('hex'),
        SHA1: createHash('sha1').update(content).digest('hex'),
        SHA256: createHash('sha256').update(content).digest('hex'),
      },
    };
    (attachment.disposition === 'inline' || attachment.related ? inline : attachments).push(info);
  });

  const text = email.text ?? '';
  const html = email.html ?? '';
  const subject = email.subject ?? '';
  const parsedDate = email.date ? new Date(email.date) : undefined;
  const listUnsubscribeHeader = headers['List-Unsubscribe']?.[0] ?? '';

  const addressText = (list: MailAddress[]) => list.map((a) => `${a.Name} <${a.Address}>`).join(', ');
  return {
    id: newMessageId(),
    messageId: (email.messageId ?? '').trim().replace(/^<|>$/g, ''),
    read: false,
    from,
    to,
    cc,
    bcc,
    replyTo,
    returnPath: (email.returnPath ?? envelope.mailFrom ?? '').replace(/^<|>$/g, ''),
    subject,
    date: parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate : received,
    created: received,
    username: envelope.username ?? '',
    size: raw.length,
    text,
    html,
    snippet: snippetOf(text, html),
    headers,
    attachments,
    inline,
    parts,
    listUnsubscribe: {
      Header: listUnsubscribeHeader,
      Links: [...listUnsubscribeHeader.matchAll(/<([^>]+)>/g)].map((m) => m[1]!),
      Errors: '',
      HeaderPost: headers['List-Unsubscribe-Post']?.[0] ?? '',
    },
    raw,
    searchText: [
      subject,
      from ? addressText([from]) : '',
      addressText(to),
      addressText(cc),
      addressText(bcc),
      addressText(replyTo),
      text,
      htmlToText(html),
      ...email.attachments.map((a) => a.filename ?? ''),
    ]
      .join(' ')
      .toLowerCase(),
  };
}

function flatten(list: Address[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  for (const entry of list ?? []) {
    if (entry.group) for (const member of entry.group) out.push({ Name: member.name, Address: member.address });
    else if (entry.address !== undefined) out.push({ Name: entry.name, Address: entry.address });
  }
  return out;
}

function attachmentContent(attachment: Attachment): Buffer {
  const { content } = attachment;
  if (typeof content === 'string') return Buffer.from(content, attachment.encoding === 'base64' ? 'base64' : 'utf8');
  return content instanceof ArrayBuffer ? Buffer.from(content) : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

/** `content-type` → `Content-Type`. */
function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1).toLowerCase() : part))
    .join('-');
}

/** Up to 250 characters of the text (or the HTML's text), whitespace collapsed, as Mailpit shows it. */
function snippetOf(text: string, html: string): string {
  const source = (text.trim() ? text : htmlToText(html)).replace(/\s+/g, ' ').trim();
  return source.length > SNIPPET_LENGTH ? `${source.slice(0, SNIPPET_LENGTH)}...` : source;
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
