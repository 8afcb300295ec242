import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { JwtClaims, JwtKeys } from '../shared/jwt.ts';
import type { Logger } from '../shared/logger.ts';
import { emptyPolicies, readPolicies, writePolicies, type Extension, type Policies } from './authorization.ts';
import type { PostgresChangesHub, ChangeSubscription, ChangeEvent } from './postgres-changes.ts';
import type { PresenceDiff, PresenceTracker } from './presence.ts';
import { broadcastFromClient, type BroadcastMessage, type PhoenixMessage } from './protocol.ts';
import { channelKey, type ChannelMember, type ChannelRegistry } from './registry.ts';
import { TokenRejected, verifyChannelToken } from './tokens.ts';

/** What every channel of every socket shares. */
export interface RealtimeDeps {
  sql: Sql;
  jwt: JwtKeys;
  registry: ChannelRegistry;
  presence: PresenceTracker;
  changes: PostgresChangesHub;
  log: Logger;
}

/** How a channel talks back to its socket. */
export interface ChannelTransport {
  push(topic: string, event: string, payload: unknown, joinRef: string | null): void;
  pushBroadcast(topic: string, broadcast: BroadcastMessage): void;
  reply(message: PhoenixMessage, status: 'ok' | 'error', response: unknown): void;
  /** The socket's own token (its apikey's role JWT), used when a join brings none. */
  readonly apiKeyToken: string;
}

/** A join Realtime refuses; `reason` is what the error reply carries. */
export class JoinRefused extends Error {}

interface JoinConfig {
  broadcast?: { ack?: unknown; self?: unknown };
  presence?: { key?: unknown; enabled?: unknown };
  postgres_changes?: unknown;
  private?: unknown;
}

const TOKEN_CHECK_MAX_MS = 5 * 60_000;

/** One topic joined by one socket: its config, token, policies, presence and subscriptions. */
export class JoinedChannel implements ChannelMember {
  readonly id = randomUUID();
  readonly key: string;
  private policies: Policies | undefined;
  private tokenTimer: NodeJS.Timeout | undefined;
  private tracking = false;
  private changeSubscriptions: ChangeSubscription[] = [];
  private closed = false;

  private constructor(
    private readonly deps: RealtimeDeps,
    private readonly transport: ChannelTransport,
    readonly topic: string,
    readonly subTopic: string,
    readonly joinRef: string | null,
    readonly isPrivate: boolean,
    private readonly ack: boolean,
    private readonly self: boolean,
    private readonly presenceKey: string,
    private presenceEnabled: boolean,
    private token: string,
    private claims: JwtClaims,
    private readonly onShutdown: (channel: JoinedChannel) => void,
  ) {
    this.key = channelKey(subTopic, isPrivate);
  }

  /** Runs Realtime's join: token, private channel read policies, then subscribes and replies. */
  static async join(
    deps: RealtimeDeps,
    transport: ChannelTransport,
    message: PhoenixMessage,
    onShutdown: (channel: JoinedChannel) => void,
  ): Promise<JoinedChannel> {
    const subTopic = message.topic.slice('realtime:'.length);
    const params = (message.payload && typeof message.payload === 'object' ? message.payload : {}) as Record<string, unknown>;
    const config = (params.config && typeof params.config === 'object' ? params.config : {}) as JoinConfig;
    const token = joinToken(params, transport.apiKeyToken);
    const claims = await verifyChannelToken(deps.jwt, token).catch((error: unknown) => {
      throw error instanceof TokenRejected ? new JoinRefused(error.message) : error;
    });
    const presenceKey = typeof config.presence?.key === 'string' && config.presence.key ? config.presence.key : randomUUID();
    const channel = new JoinedChannel(
      deps,
      transport,
      message.topic,
      subTopic,
      message.joinRef,
      truthy(config.private),
      truthy(config.broadcast?.ack),
      truthy(config.broadcast?.self),
      presenceKey,
      config.presence?.enabled === undefined ? true : truthy(config.presence.enabled),
      token,
      claims,
      onShutdown,
    );
    await channel.authorizeRead('join');
    const changeParams = Array.isArray(config.postgres_changes) ? config.postgres_changes : [];
    const postgresChanges = await channel.subscribeChanges(changeParams);
    deps.registry.add(channel.key, channel);
    channel.scheduleTokenCheck();
    transport.reply(message, 'ok', { postgres_changes: postgresChanges });
    if (channel.presenceEnabled) channel.pushPresenceState();
    if (changeParams.length) {
      transport.push(message.topic, 'system', { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: subTopic }, message.joinRef);
    }
    return channel;
  }

  // -- client messages ------------------------------------------------------------------------

  async handleBroadcast(message: PhoenixMessage): Promise<void> {
    const broadcast = broadcastFromClient(message.payload);
    if (!broadcast) return;
    if (this.isPrivate && !(await this.mayWrite('broadcast'))) return;
    this.deps.registry.broadcast(this.key, broadcast, this.self ? undefined : this);
    if (this.ack) this.transport.reply(message, 'ok', {});
  }

  async handlePresence(message: PhoenixMessage): Promise<void> {
    const payload = (message.payload ?? {}) as Record<string, unknown>;
    if (payload.event === 'track') {
      const meta = payload.payload;
      if (!meta || typeof meta !== 'object' || Array.isArray(meta)) {
        this.transport.reply(message, 'error', { reason: 'Presence track payload must be a map' });
        return;
      }
      if (!this.presenceEnabled) {
        this.presenceEnabled = true;
        if (this.isPrivate && this.policies?.presence.read === undefined) {
          this.policies = await readPolicies(this.deps.sql, this.authContext(), ['presence'], this.policies);
        }
      }
      if (this.isPrivate && !(await this.mayWrite('presence'))) {
        this.transport.reply(message, 'error', {});
        return;
      }
      this.tracking = true;
      this.deps.registry.presenceDiff(this.key, this.deps.presence.track(this.key, this.id, this.presenceKey, meta as Record<string, unknown>));
    } else if (payload.event === 'untrack') {
      this.untrack();
    }
    this.transport.reply(message, 'ok', {});
  }

  /** `access_token`: a new token for the channel, checked as at join; failures shut the channel. */
  async handleAccessToken(message: PhoenixMessage): Promise<void> {
    const refresh = (message.payload as { access_token?: unknown } | null)?.access_token;
    if (typeof refresh !== 'string' || refresh.startsWith('sb_') || refresh === this.token) return;
    try {
      this.claims = await verifyChannelToken(this.deps.jwt, refresh);
    } catch (error) {
      if (error instanceof TokenRejected) return this.shutdown(error.detail);
      throw error;
    }
    this.token = refresh;
    const previous = this.policies;
    this.policies = undefined;
    if (this.isPrivate) {
      try {
        await this.authorizeRead('refresh');
      } catch (error) {
        if (error instanceof JoinRefused) return this.shutdown(error.message);
        throw error;
      }
      const revoked =
        (previous?.broadcast.read && !this.policies!.broadcast.read) || (previous?.presence.read && !this.policies!.presence.read);
      if (revoked) return this.shutdown(`You no longer have permission to read from this Channel topic: ${this.subTopic}`);
    }
    for (const subscription of this.changeSubscriptions) subscription.claims = this.claims;
    this.scheduleTokenCheck();
  }

  // -- delivery -------------------------------------------------------------------------------

  deliverBroadcast(broadcast: BroadcastMessage): void {
    if (this.isPrivate && this.policies && !this.policies.broadcast.read) return;
    this.transport.pushBroadcast(this.topic, broadcast);
  }

  deliverPresenceDiff(diff: PresenceDiff): void {
    if (this.isPrivate && this.policies && this.policies.presence.read === false) return;
    this.transport.push(this.topic, 'presence_diff', diff, this.joinRef);
  }

  deliverChange(ids: number[], change: ChangeEvent): void {
    this.transport.push(this.topic, 'postgres_changes', { ids, data: change }, this.joinRef);
  }

  // -- lifecycle ------------------------------------------------------------------------------

  /** Leaves: untracks presence, drops subscriptions and timers. */
  leave(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.tokenTimer);
    this.untrack();
    this.deps.registry.remove(this.key, this);
    for (const subscription of this.changeSubscriptions) this.deps.changes.unsubscribe(subscription);
    this.changeSubscriptions = [];
  }

  /** Realtime's shutdown_response: a `system` error message, then the channel closes. */
  private shutdown(reason: string): void {
    if (this.closed) return;
    this.transport.push(this.topic, 'system', { extension: 'system', status: 'error', message: reason, channel: this.subTopic }, this.joinRef);
    this.leave();
    this.transport.push(this.topic, 'phx_close', {}, this.joinRef);
    this.onShutdown(this);
  }

  private untrack(): void {
    if (!this.tracking) return;
    this.tracking = false;
    const diff = this.deps.presence.untrack(this.key, this.id);
    if (diff) this.deps.registry.presenceDiff(this.key, diff);
  }

  private pushPresenceState(): void {
    if (this.isPrivate && this.policies?.presence.read === false) return;
    this.transport.push(this.topic, 'presence_state', this.deps.presence.state(this.key), this.joinRef);
  }

  /** Re-checks the token when it expires (or every 5 minutes), as Realtime's confirm_token does. */
  private scheduleTokenCheck(): void {
    clearTimeout(this.tokenTimer);
    const exp = typeof this.claims.exp === 'number' ? this.claims.exp * 1000 : Date.now() + TOKEN_CHECK_MAX_MS;
    const delay = Math.max(0, Math.min(TOKEN_CHECK_MAX_MS, exp - Date.now()));
    this.tokenTimer = setTimeout(() => void this.confirmToken(), delay + 50);
    this.tokenTimer.unref();
  }

  private async confirmToken(): Promise<void> {
    try {
      this.claims = await verifyChannelToken(this.deps.jwt, this.token);
      this.scheduleTokenCheck();
    } catch (error) {
      this.shutdown(error instanceof TokenRejected ? error.detail : String(error));
    }
  }

  private async authorizeRead(when: 'join' | 'refresh'): Promise<void> {
    if (!this.isPrivate) return;
    const extensions: Extension[] = this.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
    try {
      this.policies = await readPolicies(this.deps.sql, this.authContext(), extensions);
    } catch (error) {
      this.deps.log.warn('realtime: read authorisation failed', { topic: this.subTopic, error: (error as Error).message });
      this.policies = emptyPolicies();
    }
    if (!this.policies.broadcast.read && !this.policies.presence.read) {
      const message = `You do not have permissions to read from this Channel topic: ${this.subTopic}`;
      throw new JoinRefused(when === 'join' ? `Unauthorized: ${message}` : message);
    }
  }

  private async mayWrite(extension: Extension): Promise<boolean> {
    this.policies ??= emptyPolicies();
    if (this.policies[extension].write === undefined) {
      try {
        this.policies = await writePolicies(this.deps.sql, this.authContext(), ['broadcast', 'presence'], this.policies);
      } catch (error) {
        this.deps.log.warn('realtime: write authorisation failed', { topic: this.subTopic, error: (error as Error).message });
        return false;
      }
    }
    return this.policies[extension].write === true;
  }

  private async subscribeChanges(params: unknown[]): Promise<unknown[]> {
    const replies: unknown[] = [];
    for (const raw of params) {
      if (!raw || typeof raw !== 'object') continue;
      const subscription = await this.deps.changes.subscribe(raw as Record<string, unknown>, this.claims, (ids, change) => this.deliverChange(ids, change));
      this.changeSubscriptions.push(subscription);
      replies.push({ ...(raw as Record<string, unknown>), id: subscription.id });
    }
    return replies;
  }

  private authContext() {
    return { topic: this.subTopic, claims: this.claims };
  }
}

/** The join's token: `access_token` (or `user_token`); an sb_ key or none means the socket's own. */
function joinToken(params: Record<string, unknown>, apiKeyToken: string): string {
  const token = params.user_token ?? params.access_token;
  if (typeof token !== 'string' || token.startsWith('sb_')) return apiKeyToken;
  return token;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}
