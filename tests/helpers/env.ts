import { inject } from 'vitest';

/** Where the suite's stack is: Marquee Local started by global-setup, or the stack named by env. */
export interface StackEnv {
  /** API gateway URL, e.g. http://127.0.0.1:54321 */
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  jwtSecret: string;
  /** Postgres URL as the `postgres` role. */
  dbUrl: string;
  /** Mailpit-compatible HTTP API base URL, e.g. http://127.0.0.1:54324 */
  mailUrl: string;
  /** SMTP capture port. */
  smtpPort: number;
  /** True when the suite runs against Marquee Local (so its internals may be reached). */
  local: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackEnv;
  }
}

export function stackEnv(): StackEnv {
  return inject('stack');
}
