import type { BroadcastMessage } from './protocol.ts';
import type { PresenceDiff } from './presence.ts';

/**
 * Who is joined to which channel. As in Realtime, a private and a public channel of the same
 * name are different channels: the key is the sub-topic plus its privacy.
 */

export interface ChannelMember {
  /** Unique per joined channel (a socket may join many). */
  readonly id: string;
  deliverBroadcast(broadcast: BroadcastMessage): void;
  deliverPresenceDiff(diff: PresenceDiff): void;
}

export const channelKey = (subTopic: string, isPrivate: boolean): string => `${isPrivate ? 'private' : 'public'}:${subTopic}`;

export class ChannelRegistry {
  private readonly members = new Map<string, Map<string, ChannelMember>>();

  add(key: string, member: ChannelMember): void {
    const members = this.members.get(key) ?? new Map<string, ChannelMember>();
    members.set(member.id, member);
    this.members.set(key, members);
  }

  remove(key: string, member: ChannelMember): void {
    const members = this.members.get(key);
    members?.delete(member.id);
    if (members?.size === 0) this.members.delete(key);
  }

  /** Sends a broadcast to every member of the channel except `except` (the sender, unless self). */
  broadcast(key: string, broadcast: BroadcastMessage, except?: ChannelMember): void {
    for (const member of this.members.get(key)?.values() ?? []) {
      if (member !== except) member.deliverBroadcast(broadcast);
    }
  }

  presenceDiff(key: string, diff: PresenceDiff): void {
    for (const member of this.members.get(key)?.values() ?? []) member.deliverPresenceDiff(diff);
  }
}
