import type { MailAddress, StoredMessage } from './message.ts';

export type MessagePredicate = (message: StoredMessage) => boolean;

/**
 * Compiles a Mailpit search query into a predicate. Terms are separated by spaces (double quotes
 * group a phrase, `subject:"two words"` too) and all must match; a leading `-` or `!` negates a
 * term. Supported: `to:`, `from:`, `cc:`, `bcc:`, `reply-to:`, `addressed:` (any address field),
 * `subject:`, `message-id:`, `tag:`, `is:read`, `is:unread`, `has:attachment`, `has:inline`, and free
 * text (subject, addresses, bodies, attachment names). Matching is case-insensitive substring
 * matching, as Mailpit's SQL `LIKE` is.
 */
export function compileSearch(query: string): MessagePredicate {
  const predicates: MessagePredicate[] = [];
  for (const rawTerm of splitTerms(query)) {
    let term = rawTerm;
    let negate = false;
    if (term.length > 1 && (term.startsWith('-') || term.startsWith('!'))) {
      negate = true;
      term = term.slice(1);
    }
    if (!/[a-zA-Z0-9]/.test(term)) continue;
    const predicate = termPredicate(term);
    if (predicate) predicates.push(negate ? (m) => !predicate(m) : predicate);
  }
  return (message) => predicates.every((predicate) => predicate(message));
}

function termPredicate(term: string): MessagePredicate | undefined {
  const lower = term.toLowerCase();
  const field = /^([a-z-]+):(.*)$/s.exec(lower);
  if (field) {
    const [, name, rawValue] = field as unknown as [string, string, string];
    const value = rawValue.trim();
    const addressField = (pick: (m: StoredMessage) => MailAddress[]) =>
      value ? (m: StoredMessage) => addressesContain(pick(m), value) : undefined;
    switch (name) {
      case 'to':
        return addressField((m) => m.to);
      case 'from':
        return addressField((m) => (m.from ? [m.from] : []));
      case 'cc':
        return addressField((m) => m.cc);
      case 'bcc':
        return addressField((m) => m.bcc);
      case 'reply-to':
        return addressField((m) => m.replyTo);
      case 'addressed':
        return addressField((m) => [...(m.from ? [m.from] : []), ...m.to, ...m.cc, ...m.bcc, ...m.replyTo]);
      case 'subject':
        return value ? (m) => m.subject.toLowerCase().includes(value) : undefined;
      case 'message-id':
        return value ? (m) => m.messageId.toLowerCase().includes(value) : undefined;
      case 'tag':
        return () => false; // tags are never set on captured mail
      case 'is':
        if (value === 'read') return (m) => m.read;
        if (value === 'unread') return (m) => !m.read;
        if (value === 'tagged') return () => false;
        break;
      case 'has':
        if (value === 'attachment' || value === 'attachments') return (m) => m.attachments.length > 0;
        if (value === 'inline' || value === 'inlines') return (m) => m.inline.length > 0;
        break;
    }
  }
  return (m) => m.searchText.includes(lower);
}

function addressesContain(addresses: MailAddress[], needle: string): boolean {
  return addresses.some((a) => `${a.Name} <${a.Address}>`.toLowerCase().includes(needle));
}

/** Splits on whitespace, keeping double-quoted runs together and dropping the quotes. */
function splitTerms(query: string): string[] {
  const terms: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of query) {
    if (ch === '"') {
      quoted = !quoted;
    } else if (/\s/.test(ch) && !quoted) {
      if (current) terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current) terms.push(current);
  return terms;
}
