import type { StoredMessage } from './message.ts';

export interface MailStoreLimits {
  /** Most messages kept; the oldest go first. Default 1000. */
  maxMessages?: number;
  /** Most raw bytes kept across all messages. Default 256 MiB. */
  maxBytes?: number;
}

/** Captured messages in memory, newest first, bounded by count and total size. */
export class MailStore {
  /** Oldest first; listing reverses. */
  private readonly messages: StoredMessage[] = [];
  private readonly byId = new Map<string, StoredMessage>();
  private bytes = 0;
  private readonly maxMessages: number;
  private readonly maxBytes: number;

  constructor(limits: MailStoreLimits = {}) {
    this.maxMessages = limits.maxMessages ?? 1000;
    this.maxBytes = limits.maxBytes ?? 256 * 1024 * 1024;
  }

  add(message: StoredMessage): void {
    this.messages.push(message);
    this.byId.set(message.id, message);
    this.bytes += message.size;
    while (this.messages.length > 1 && (this.messages.length > this.maxMessages || this.bytes > this.maxBytes)) {
      const evicted = this.messages.shift()!;
      this.byId.delete(evicted.id);
      this.bytes -= evicted.size;
    }
  }

  /** Newest first. */
  all(): StoredMessage[] {
    return [...this.messages].reverse();
  }

  get(id: string): StoredMessage | undefined {
    return id === 'latest' ? this.messages.at(-1) : this.byId.get(id);
  }

  get total(): number {
    return this.messages.length;
  }

  get unread(): number {
    return this.messages.reduce((n, m) => n + (m.read ? 0 : 1), 0);
  }

  /** Deletes the given ids (unknown ids are ignored); returns how many went. */
  delete(ids: Iterable<string>): number {
    const doomed = new Set(ids);
    let removed = 0;
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i]!;
      if (doomed.has(message.id)) {
        this.messages.splice(i, 1);
        this.byId.delete(message.id);
        this.bytes -= message.size;
        removed++;
      }
    }
    return removed;
  }

  clear(): void {
    this.messages.length = 0;
    this.byId.clear();
    this.bytes = 0;
  }
}
