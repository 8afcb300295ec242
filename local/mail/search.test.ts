import { describe, expect, it } from 'vitest';
import type { StoredMessage } from './message.ts';
import { compileSearch } from './search.ts';

function message(overrides: Partial<StoredMessage>): StoredMessage {
  return {
    id: 'id',
    messageId: 'abc@marquee.test',
    read: false,
    from: { Name: 'Marquee', Address: 'no-reply@marquee.test' },
    to: [{ Name: 'Alice', Address: 'alice@marquee.test' }],
    cc: [],
    bcc: [],
    replyTo: [],
    returnPath: '',
    subject: 'Your reset code',
    date: new Date(),
    created: new Date(),
    username: '',
    size: 1,
    text: '',
    html: '',
    snippet: '',
    headers: {},
    attachments: [],
    inline: [],
    parts: new Map(),
    listUnsubscribe: { Header: '', Links: [], Errors: '', HeaderPost: '' },
    raw: Buffer.from(''),
    searchText: 'your reset code alice@marquee.test code 123456',
    ...overrides,
  };
}

describe('compileSearch (Mailpit query syntax)', () => {
  const alice = message({});
  const bobRead = message({ to: [{ Name: 'Bob', Address: 'bob@marquee.test' }], subject: 'Welcome', read: true, searchText: 'welcome bob' });

  it.each([
    ['to:alice@marquee.test', [true, false]],
    ['to:ALICE', [true, false]],
    ['to:Bob', [false, true]],
    ['from:no-reply', [true, true]],
    ['subject:"reset code"', [true, false]],
    ['-subject:reset', [false, true]],
    ['!to:alice', [false, true]],
    ['is:read', [false, true]],
    ['is:unread', [true, false]],
    ['123456', [true, false]],
    ['"reset code" to:alice', [true, false]],
    ['to:alice subject:welcome', [false, false]],
    ['message-id:abc@', [true, true]],
    ['has:attachment', [false, false]],
  ])('%s', (query, expected) => {
    const matches = compileSearch(query);
    expect([matches(alice), matches(bobRead)]).toEqual(expected);
  });
});
