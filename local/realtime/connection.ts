import type { WebSocket } from 'ws';
import { JoinRefused, JoinedChannel, type ChannelTransport, type RealtimeDeps } from './channel.ts';
import { broadcastPayload, decodeFrame, encodeMessage, encodeUserBroadcast, type BroadcastMessage, type PhoenixMessage, type Vsn } from './protocol.ts';

/**
 * One client socket: heartbeats on `phoenix`, then joins, leaves and channel messages routed to
 * the socket's joined channels by topic, as Phoenix's socket does.
 */
export class RealtimeConnection implements ChannelTransport {
  private readonly channels = new Map<string, JoinedChannel>();
  /** Messages are handled one at a time, in order, like a Phoenix channel process's mailbox. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly vsn: Vsn,
    readonly apiKeyToken: string,
    private readonly deps: RealtimeDeps,
  ) {
    socket.on('message', (data, isBinary) => {
      const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      this.queue = this.queue.then(() => this.handleFrame(frame, isBinary)).catch((error: Error) => {
        deps.log.warn('realtime: message failed', { error: error.message });
      });
    });
    socket.on('close', () => this.close());
    socket.on('error', () => this.close());
  }

  private async handleFrame(frame: Buffer, isBinary: boolean): Promise<void> {
    let message: PhoenixMessage;
    try {
      message = decodeFrame(frame, isBinary, this.vsn);
    } catch {
      return; // Phoenix drops frames it cannot decode
    }
    if (message.topic === 'phoenix') {
      if (message.event === 'heartbeat') this.reply(message, 'ok', {});
      return;
    }
    if (message.event === 'phx_join') return this.join(message);

    const channel = this.channels.get(message.topic);
    if (!channel || channel.joinRef !== message.joinRef) {
      // Phoenix's answer to a message for a topic the socket has not joined.
      this.push(message.topic, 'phx_close', {}, message.joinRef);
      this.reply(message, 'error', { reason: 'unmatched topic' });
      return;
    }
    switch (message.event) {
      case 'phx_leave':
        this.channels.delete(message.topic);
        channel.leave();
        this.reply(message, 'ok', {});
        this.push(message.topic, 'phx_close', {}, message.joinRef);
        return;
      case 'broadcast':
        return channel.handleBroadcast(message);
      case 'presence':
        return channel.handlePresence(message);
      case 'access_token':
        return channel.handleAccessToken(message);
      default:
        return; // Realtime logs and ignores other events
    }
  }

  private async join(message: PhoenixMessage): Promise<void> {
    if (!message.topic.startsWith('realtime:')) {
      this.reply(message, 'error', { reason: 'unmatched topic' });
      return;
    }
    // Phoenix closes a duplicate join's earlier channel before joining again.
    const existing = this.channels.get(message.topic);
    if (existing) {
      this.channels.delete(message.topic);
      existing.leave();
      this.push(message.topic, 'phx_close', {}, existing.joinRef);
    }
    try {
      const channel = await JoinedChannel.join(this.deps, this, message, (closed) => {
        if (this.channels.get(closed.topic) === closed) this.channels.delete(closed.topic);
      });
      if (this.socket.readyState !== this.socket.OPEN) channel.leave();
      else this.channels.set(message.topic, channel);
    } catch (error) {
      if (!(error instanceof JoinRefused)) {
        this.deps.log.warn('realtime: join failed', { topic: message.topic, error: (error as Error).message });
      }
      const reason = error instanceof JoinRefused ? error.message : 'Unknown Error on Channel';
      this.reply(message, 'error', { reason });
    }
  }

  private close(): void {
    for (const channel of this.channels.values()) channel.leave();
    this.channels.clear();
  }

  // -- ChannelTransport -----------------------------------------------------------------------

  push(topic: string, event: string, payload: unknown, joinRef: string | null): void {
    this.send(encodeMessage(this.vsn, { joinRef, ref: null, topic, event, payload }));
  }

  pushBroadcast(topic: string, broadcast: BroadcastMessage): void {
    if (this.vsn === '2.0.0' && (broadcast.userPush || broadcast.binary)) {
      this.send(encodeUserBroadcast(topic, broadcast));
    } else if (!broadcast.binary) {
      // Realtime pushes broadcasts without ids (fastlane): join_ref and ref are null.
      this.send(encodeMessage(this.vsn, { joinRef: null, ref: null, topic, event: 'broadcast', payload: broadcastPayload(broadcast) }));
    }
    // v1 sockets cannot carry binary payloads: Realtime skips them.
  }

  reply(message: PhoenixMessage, status: 'ok' | 'error', response: unknown): void {
    this.send(encodeMessage(this.vsn, { joinRef: message.joinRef, ref: message.ref, topic: message.topic, event: 'phx_reply', payload: { status, response } }));
  }

  private send(data: string | Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data);
  }
}
