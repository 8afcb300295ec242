/**
 * Phoenix channel frames as Realtime speaks them. `vsn=1.0.0` sends JSON objects; `vsn=2.0.0`
 * (realtime-js's default) sends JSON arrays `[join_ref, ref, topic, event, payload]`, except user
 * broadcasts, which travel as binary frames: kind 3 (client → server "user broadcast push") and
 * kind 4 (server → client "user broadcast").
 */

export type Vsn = '1.0.0' | '2.0.0';
export const SUPPORTED_VSNS: readonly Vsn[] = ['1.0.0', '2.0.0'];

export interface PhoenixMessage {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A broadcast as it travels between channels: JSON, or a user payload still in its wire form. */
export interface BroadcastMessage {
  event: string;
  /** The user payload (parsed JSON); undefined for binary payloads. */
  payload: unknown;
  /** Raw bytes of a binary user payload (v2 only). */
  binary?: Buffer;
  /** `meta` of the delivered broadcast ({ id } for messages from the database or REST with ids). */
  meta?: Record<string, unknown>;
  /** Sent by a v2 client as a binary user broadcast push: delivered to v2 clients as kind 4. */
  userPush: boolean;
}

const USER_BROADCAST_PUSH = 3;
const USER_BROADCAST = 4;
const BINARY_ENCODING = 0;
const JSON_ENCODING = 1;

export class ProtocolError extends Error {}

/** Decodes one WebSocket frame from a client. */
export function decodeFrame(data: Buffer, isBinary: boolean, vsn: Vsn): PhoenixMessage {
  if (isBinary) {
    if (vsn !== '2.0.0') throw new ProtocolError('binary frames need vsn 2.0.0');
    return decodeUserBroadcastPush(data);
  }
  const parsed: unknown = JSON.parse(data.toString('utf8'));
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length !== 5) throw new ProtocolError('expected [join_ref, ref, topic, event, payload]');
    const [joinRef, ref, topic, event, payload] = parsed as [unknown, unknown, unknown, unknown, unknown];
    return { joinRef: stringOrNull(joinRef), ref: stringOrNull(ref), topic: String(topic), event: String(event), payload };
  }
  if (!parsed || typeof parsed !== 'object') throw new ProtocolError('expected a message object');
  const m = parsed as Record<string, unknown>;
  return { joinRef: stringOrNull(m.join_ref), ref: stringOrNull(m.ref), topic: String(m.topic), event: String(m.event), payload: m.payload };
}

/** Kind 3: kind, join_ref/ref/topic/event/metadata sizes, encoding, those strings, then the payload. */
function decodeUserBroadcastPush(data: Buffer): PhoenixMessage {
  if (data.length < 7 || data[0] !== USER_BROADCAST_PUSH) throw new ProtocolError('unknown binary frame');
  const sizes = [data[1]!, data[2]!, data[3]!, data[4]!, data[5]!];
  const encoding = data[6]!;
  let offset = 7;
  const [joinRef, ref, topic, event, metadata] = sizes.map((size) => {
    const text = data.subarray(offset, offset + size).toString('utf8');
    offset += size;
    return text;
  }) as [string, string, string, string, string];
  const body = data.subarray(offset);
  const broadcast: Record<string, unknown> = { type: 'broadcast', event };
  if (encoding === JSON_ENCODING) broadcast.payload = JSON.parse(body.toString('utf8') || 'null');
  else broadcast.binary = Buffer.from(body);
  if (metadata) broadcast.meta = JSON.parse(metadata);
  broadcast.userPush = true;
  return { joinRef: joinRef || null, ref: ref || null, topic, event: 'broadcast', payload: broadcast };
}

/** Encodes a message for a client as a text frame. */
export function encodeMessage(vsn: Vsn, message: PhoenixMessage): string {
  if (vsn === '2.0.0') return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload]);
  return JSON.stringify({ join_ref: message.joinRef, ref: message.ref, topic: message.topic, event: message.event, payload: message.payload });
}

/** Kind 4: kind, topic/event/metadata sizes, encoding, those strings, then the user payload. */
export function encodeUserBroadcast(topic: string, broadcast: BroadcastMessage): Buffer {
  const meta = broadcast.meta ? JSON.stringify(broadcast.meta) : '';
  const [topicBytes, eventBytes, metaBytes] = [topic, broadcast.event, meta].map((s) => Buffer.from(s, 'utf8')) as [Buffer, Buffer, Buffer];
  const body = broadcast.binary ?? Buffer.from(JSON.stringify(broadcast.payload ?? null), 'utf8');
  const header = Buffer.from([
    USER_BROADCAST,
    topicBytes.length,
    eventBytes.length,
    metaBytes.length,
    broadcast.binary ? BINARY_ENCODING : JSON_ENCODING,
  ]);
  return Buffer.concat([header, topicBytes, eventBytes, metaBytes, body]);
}

/** The JSON payload of a `broadcast` push: `{ type, event, payload, meta? }`. */
export function broadcastPayload(broadcast: BroadcastMessage): Record<string, unknown> {
  return {
    type: 'broadcast',
    event: broadcast.event,
    payload: broadcast.payload,
    ...(broadcast.meta ? { meta: broadcast.meta } : {}),
  };
}

/** Reads a client's `broadcast` payload (JSON or decoded from a kind 3 frame). */
export function broadcastFromClient(payload: unknown): BroadcastMessage | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  if (typeof p.event !== 'string') return undefined;
  return {
    event: p.event,
    payload: p.payload,
    ...(p.binary instanceof Buffer ? { binary: p.binary } : {}),
    userPush: p.userPush === true,
  };
}

function stringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
