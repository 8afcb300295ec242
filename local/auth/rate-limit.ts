import type { Context } from 'hono';
import { REAL_IP_HEADER, socketPeer } from '../shared/client-address.ts';
import { tooManyRequests } from './errors.ts';

/**
 * A token bucket per key, as GoTrue's tollbooth limiters are configured: a burst of `limit`
 * requests, refilled at `limit` per `windowMs`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit, updatedAt: now };
    const refill = ((now - bucket.updatedAt) / this.windowMs) * this.limit;
    bucket.tokens = Math.min(this.limit, bucket.tokens + refill);
    bucket.updatedAt = now;
    if (this.buckets.size > 10_000) this.prune(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt > this.windowMs) this.buckets.delete(key);
    }
  }
}

const FIVE_MINUTES = 5 * 60_000;
const ONE_HOUR = 60 * 60_000;

/**
 * One limiter per GoTrue limiter field. As the CLI maps config.toml: `sign_in_sign_ups` drives
 * signup, otp, magiclink, recover, resend and user update (GoTrue's OTP limit), `token_refresh`
 * the token endpoint, `token_verifications` verify, `anonymous_users` anonymous sign-ins (per
 * hour); `email_sent` is global per hour and applies only with `[auth.email.smtp]` enabled;
 * `sms_sent` is global per hour.
 */
export interface AuthRateLimits {
  signups: RateLimiter;
  otp: RateLimiter;
  magicLink: RateLimiter;
  recover: RateLimiter;
  resend: RateLimiter;
  user: RateLimiter;
  token: RateLimiter;
  verify: RateLimiter;
  anonymous: RateLimiter;
  emailSent: RateLimiter | undefined;
  /** `sms_sent`: SMS per hour across the service (GoTrue's phone limiter; not applied to autoconfirm or test OTPs). */
  smsSent: RateLimiter;
}

export function createRateLimits(limits: {
  signInSignUpsPer5Min: number;
  tokenRefreshPer5Min: number;
  tokenVerificationsPer5Min: number;
  anonymousUsersPerHour: number;
  emailSentPerHour: number | undefined;
  smsSentPerHour: number;
}): AuthRateLimits {
  const otpLimit = () => new RateLimiter(limits.signInSignUpsPer5Min, FIVE_MINUTES);
  return {
    signups: otpLimit(),
    otp: otpLimit(),
    magicLink: otpLimit(),
    recover: otpLimit(),
    resend: otpLimit(),
    user: otpLimit(),
    token: new RateLimiter(limits.tokenRefreshPer5Min, FIVE_MINUTES),
    verify: new RateLimiter(limits.tokenVerificationsPer5Min, FIVE_MINUTES),
    anonymous: new RateLimiter(limits.anonymousUsersPerHour, ONE_HOUR),
    emailSent: limits.emailSentPerHour === undefined ? undefined : new RateLimiter(limits.emailSentPerHour, ONE_HOUR),
    smsSent: new RateLimiter(limits.smsSentPerHour, ONE_HOUR),
  };
}

/**
 * The header Auth keys its per-client limits on, as GoTrue's `GOTRUE_RATE_LIMIT_HEADER`. Marquee
 * Local's Auth is reachable only through its gateway, which overwrites X-Real-IP with the client
 * address it accepted (the socket peer, or what a configured trusted proxy forwarded), so a client
 * cannot choose its key. X-Forwarded-For is never read here: its first entry is the client's own.
 */
export const RATE_LIMIT_HEADER = REAL_IP_HEADER;

/** Key for requests that reach Auth with neither the gateway's header nor a socket (in-process use). */
const UNKNOWN_CLIENT = 'unknown';

/** The request's client address: the gateway's X-Real-IP, else the socket's peer. */
export function clientIp(c: Context): string | undefined {
  const recorded = c.req.header(RATE_LIMIT_HEADER)?.split(',')[0]?.trim();
  return recorded || socketPeer(c) || undefined;
}

/**
 * The key a request is limited under: its client address. Every request is limited, loopback
 * included — the functions reach Auth from loopback, and an exemption would leave them unlimited.
 */
export function rateLimitKey(c: Context): string {
  return clientIp(c) ?? UNKNOWN_CLIENT;
}

/** Throws GoTrue's 429 `over_request_rate_limit` when the request's client is over `limiter`. */
export function enforceRateLimit(c: Context, limiter: RateLimiter): void {
  if (!limiter.take(rateLimitKey(c))) {
    throw tooManyRequests('over_request_rate_limit', 'Request rate limit reached');
  }
}
