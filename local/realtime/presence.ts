import { randomBytes } from 'node:crypto';

/**
 * Phoenix Presence state for every channel: per presence key, one meta per tracking channel
 * member, each with its `phx_ref`. Diffs are `{ joins, leaves }` in Phoenix's shape.
 */

export type PresenceMeta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string };
export type PresenceState = Record<string, { metas: PresenceMeta[] }>;
export interface PresenceDiff {
  joins: PresenceState;
  leaves: PresenceState;
}

interface Entry {
  key: string;
  meta: PresenceMeta;
}

export class PresenceTracker {
  /** channel key → member id → what the member tracks. */
  private readonly byChannel = new Map<string, Map<string, Entry>>();

  state(channel: string): PresenceState {
    const state: PresenceState = {};
    for (const { key, meta } of this.byChannel.get(channel)?.values() ?? []) {
      (state[key] ??= { metas: [] }).metas.push(meta);
    }
    return state;
  }

  /** Tracks (or updates) what `member` shows under `key`; the diff to send to the channel. */
  track(channel: string, member: string, key: string, payload: Record<string, unknown>): PresenceDiff {
    const members = this.byChannel.get(channel) ?? new Map<string, Entry>();
    this.byChannel.set(channel, members);
    const previous = members.get(member);
    const meta: PresenceMeta = { ...payload, phx_ref: newRef() };
    if (previous) meta.phx_ref_prev = previous.meta.phx_ref;
    members.set(member, { key, meta });
    const diff: PresenceDiff = { joins: { [key]: { metas: [meta] } }, leaves: {} };
    if (previous) diff.leaves[previous.key] = { metas: [previous.meta] };
    return diff;
  }

  /** Stops tracking `member`; the diff to send, or undefined when it tracked nothing. */
  untrack(channel: string, member: string): PresenceDiff | undefined {
    const members = this.byChannel.get(channel);
    const previous = members?.get(member);
    if (!members || !previous) return undefined;
    members.delete(member);
    if (members.size === 0) this.byChannel.delete(channel);
    return { joins: {}, leaves: { [previous.key]: { metas: [previous.meta] } } };
  }
}

function newRef(): string {
  return randomBytes(8).toString('base64url');
}
