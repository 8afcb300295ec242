import { randomBytes } from 'node:crypto';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * A client that is not the suite's runner: Linux answers on all of 127.0.0.0/8, and the suite's stack
 * trusts only 127.0.0.1 as a proxy (tests/setup/global-setup.ts), so requests sent from another
 * loopback address are a direct client whose own address counts, as an attacker's would in production.
 */
export function randomLoopbackAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `127.${a}.${b}.${2 + (c! % 253)}`;
}

/** `fetch` whose connections leave from `address`. */
export function fetchFrom(address: string): typeof fetch {
  const dispatcher = new Agent({ localAddress: address });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
}
