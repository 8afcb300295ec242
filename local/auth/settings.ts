import { apiUrl, section, type LocalConfig } from '../config/index.ts';

/** The characters GoTrue requires per `password_requirements` value (as the CLI maps them). */
const PASSWORD_CHARACTER_SETS: Record<string, string[]> = {
  letters_digits: ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'],
  lower_upper_letters_digits: ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'],
  lower_upper_letters_digits_symbols: [
    'abcdefghijklmnopqrstuvwxyz',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    '0123456789',
    "!@#$%^&*()_+-=[]{};'\\:\"|<>?,./`~",
  ],
};

/** The account-change notices GoTrue can mail (`[auth.email.notification.<kind>]`) that Marquee Local sends. */
export const NOTIFICATION_KINDS = ['password_changed', 'email_changed', 'phone_changed', 'mfa_factor_enrolled', 'mfa_factor_unenrolled'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One notice: off unless `enabled = true` (GoTrue's default); `subject` replaces GoTrue's default subject. */
export interface NotificationSettings {
  enabled: boolean;
  subject: string | undefined;
}

/** A Postgres hook (`[auth.hook.<name>]` with a `pg-functions://` URI). */
export interface HookSettings {
  /** `"schema"."function"`, quoted for SQL, parsed from `pg-functions://postgres/<schema>/<fn>`. */
  functionName: string;
  uri: string;
}

/** The custom access token hook's settings (a Postgres hook). */
export type CustomAccessTokenHookSettings = HookSettings;

/** SMS providers the CLI maps from `[auth.sms.<provider>]`, in the order it checks them. */
const SMS_PROVIDERS = ['twilio', 'twilio_verify', 'messagebird', 'textlocal', 'vonage'] as const;

/** `[auth.sms]` as GoTrue's `SmsProviderConfiguration` holds it after the CLI's mapping and GoTrue's defaults. */
export interface SmsSettings {
  /** `enabled` (or the CLI template's `enable_signup`): GoTrue's `EXTERNAL_PHONE_ENABLED`. */
  enabled: boolean;
  /** `enable_confirmations = false` → phone sign-ups are confirmed at once (GoTrue's `SMS_AUTOCONFIRM`). */
  autoconfirm: boolean;
  /** `max_frequency`: the least time between two OTPs of one kind to one user. */
  maxFrequencySeconds: number;
  /** Digits in an SMS OTP: 6 unless `otp_length` is 6–10, as GoTrue clamps it. */
  otpLength: number;
  /** Seconds an SMS OTP stays valid (the CLI starts GoTrue with 6000). */
  otpExpirySeconds: number;
  /** `[auth.sms.test_otp]`: phone (digits, no +) → fixed code; no SMS is sent to these numbers. */
  testOtp: Record<string, string>;
  /** The enabled `[auth.sms.<provider>]`, or '' (GoTrue's `SMS_PROVIDER`). */
  provider: string;
  /** The SMS template (only used when a provider would send the message). */
  template: string;
}

/** Everything the Auth service reads from config.toml's `[auth]` tables, resolved once at start. */
export interface AuthSettings {
  siteUrl: string;
  additionalRedirectUrls: string[];
  /** Public URL of this service (`<api>/auth/v1`), used in mail links. */
  externalUrl: string;
  jwtIssuer: string;
  jwtExpirySeconds: number;
  adminRoles: string[];
  defaultRole: string;
  audience: string;
  refreshTokenRotation: boolean;
  refreshTokenReuseIntervalSeconds: number;
  signupEnabled: boolean;
  anonymousSignInsEnabled: boolean;
  password: { minLength: number; requiredCharacters: string[] };
  email: {
    enabled: boolean;
    autoconfirm: boolean;
    doubleConfirmChanges: boolean;
    maxFrequencySeconds: number;
    /** `secure_password_change`: an old session needs a reauthentication nonce to change the password. */
    securePasswordChange: boolean;
    /**
     * `require_current_password`: `PUT /user {password}` needs `current_password`, unless the session
     * was opened by a code or link (OTP, magic link, recovery) — GoTrue's `Session.IsRecovery`.
     */
    requireCurrentPassword: boolean;
    notifications: Record<NotificationKind, NotificationSettings>;
    otpLength: number;
    otpExpirySeconds: number;
    /** Whether `[auth.email.smtp]` is enabled: the CLI applies `email_sent` only then. */
    smtpEnabled: boolean;
  };
  /** Whether the phone provider is on (`[auth.sms] enabled`); the same as `sms.enabled`. */
  phoneEnabled: boolean;
  sms: SmsSettings;
  rateLimit: {
    emailSentPerHour: number;
    /** `sms_sent`: SMS per hour, for the whole service (GoTrue's `RATE_LIMIT_SMS_SENT`). */
    smsSentPerHour: number;
    tokenRefreshPer5Min: number;
    signInSignUpsPer5Min: number;
    tokenVerificationsPer5Min: number;
    anonymousUsersPerHour: number;
  };
  mfa: {
    maxEnrolledFactors: number;
    maxVerifiedFactors: number;
    totpEnrollEnabled: boolean;
    totpVerifyEnabled: boolean;
    challengeExpirySeconds: number;
  };
  customAccessTokenHook: HookSettings | undefined;
  /** `[auth.hook.send_sms]`: when set, every SMS OTP is handed to this function instead of a provider. */
  sendSmsHook: HookSettings | undefined;
  /** `[auth.hook.before_user_created]`: asked before a sign-up creates a user; may refuse it. */
  beforeUserCreatedHook: HookSettings | undefined;
  /** `[auth.hook.password_verification_attempt]`: told of every password check; may reject the sign-in. */
  passwordVerificationHook: HookSettings | undefined;
}

export function readAuthSettings(config: LocalConfig): AuthSettings {
  const auth = section(config.toml, 'auth');
  const email = section(config.toml, 'auth.email');
  const smtp = section(config.toml, 'auth.email.smtp');
  const sms = section(config.toml, 'auth.sms');
  const rate = section(config.toml, 'auth.rate_limit');
  const mfa = section(config.toml, 'auth.mfa');
  const totp = section(config.toml, 'auth.mfa.totp');
  const hook = section(config.toml, 'auth.hook.custom_access_token');
  const sendSmsHook = section(config.toml, 'auth.hook.send_sms');
  const beforeUserCreatedHook = section(config.toml, 'auth.hook.before_user_created');
  const passwordHook = section(config.toml, 'auth.hook.password_verification_attempt');

  const externalUrl = nonEmptyString(auth.external_url) ?? `${apiUrl(config)}/auth/v1`;
  const requirements = typeof auth.password_requirements === 'string' ? auth.password_requirements : '';

  return {
    siteUrl: nonEmptyString(auth.site_url) ?? 'http://127.0.0.1:3000',
    additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls)
      ? auth.additional_redirect_urls.filter((u): u is string => typeof u === 'string')
      : [],
    externalUrl,
    jwtIssuer: nonEmptyString(auth.jwt_issuer) ?? externalUrl,
    jwtExpirySeconds: numberOr(auth.jwt_expiry, 3600),
    adminRoles: ['service_role', 'supabase_admin'],
    defaultRole: 'authenticated',
    audience: 'authenticated',
    refreshTokenRotation: auth.enable_refresh_token_rotation !== false,
    refreshTokenReuseIntervalSeconds: numberOr(auth.refresh_token_reuse_interval, 10),
    signupEnabled: auth.enable_signup !== false,
    anonymousSignInsEnabled: auth.enable_anonymous_sign_ins === true,
    password: {
      minLength: Math.max(6, numberOr(auth.minimum_password_length, 6)),
      requiredCharacters: PASSWORD_CHARACTER_SETS[requirements] ?? [],
    },
    email: {
      enabled: email.enabled !== false,
      autoconfirm: email.enable_confirmations !== true,
      doubleConfirmChanges: email.double_confirm_changes !== false,
      maxFrequencySeconds: durationSeconds(email.max_frequency, 1),
      securePasswordChange: email.secure_password_change === true,
      requireCurrentPassword: email.require_current_password === true,
      notifications: readNotifications(config),
      otpLength: numberOr(email.otp_length, 6),
      otpExpirySeconds: numberOr(email.otp_expiry, 3600),
      smtpEnabled: smtp.enabled === true,
    },
    phoneEnabled: smsEnabled(sms),
    sms: readSmsSettings(config),
    rateLimit: {
      emailSentPerHour: numberOr(rate.email_sent, 2),
      smsSentPerHour: numberOr(rate.sms_sent, 30),
      tokenRefreshPer5Min: numberOr(rate.token_refresh, 150),
      signInSignUpsPer5Min: numberOr(rate.sign_in_sign_ups, 30),
      tokenVerificationsPer5Min: numberOr(rate.token_verifications, 30),
      anonymousUsersPerHour: numberOr(rate.anonymous_users, 30),
    },
    mfa: {
      maxEnrolledFactors: numberOr(mfa.max_enrolled_factors, 10),
      maxVerifiedFactors: 10,
      totpEnrollEnabled: totp.enroll_enabled !== false,
      totpVerifyEnabled: totp.verify_enabled !== false,
      challengeExpirySeconds: 300,
    },
    customAccessTokenHook: hook.enabled === true ? parseHookUri(String(hook.uri ?? '')) : undefined,
    sendSmsHook: sendSmsHook.enabled === true ? parseHookUri(String(sendSmsHook.uri ?? ''), 'send_sms') : undefined,
    beforeUserCreatedHook:
      beforeUserCreatedHook.enabled === true
        ? parseHookUri(String(beforeUserCreatedHook.uri ?? ''), 'before_user_created')
        : undefined,
    passwordVerificationHook:
      passwordHook.enabled === true ? parseHookUri(String(passwordHook.uri ?? ''), 'password_verification_attempt') : undefined,
  };
}

function readNotifications(config: LocalConfig): Record<NotificationKind, NotificationSettings> {
  const entries = NOTIFICATION_KINDS.map((kind) => {
    const table = section(config.toml, `auth.email.notification.${kind}`);
    return [kind, { enabled: table.enabled === true, subject: nonEmptyString(table.subject) }] as const;
  });
  return Object.fromEntries(entries) as Record<NotificationKind, NotificationSettings>;
}

/** The CLI's template names the switch `enable_signup`; this project's config.toml names it `enabled`. */
function smsEnabled(sms: Record<string, unknown>): boolean {
  return sms.enabled === true || sms.enable_signup === true;
}

function readSmsSettings(config: LocalConfig): SmsSettings {
  const sms = section(config.toml, 'auth.sms');
  const otpLength = numberOr(sms.otp_length, 6);
  const testOtp: Record<string, string> = {};
  for (const [phone, code] of Object.entries(section(config.toml, 'auth.sms.test_otp'))) {
    // GoTrue normalises the keys as it does a phone number: no leading +, no spaces.
    if (typeof code === 'string' || typeof code === 'number') testOtp[phone.replace(/^\+/, '').replaceAll(' ', '')] = String(code);
  }
  return {
    enabled: smsEnabled(sms),
    autoconfirm: sms.enable_confirmations !== true,
    maxFrequencySeconds: durationSeconds(sms.max_frequency, 60),
    otpLength: otpLength >= 6 && otpLength <= 10 ? otpLength : 6,
    otpExpirySeconds: numberOr(sms.otp_expiry, 6000),
    testOtp,
    provider: SMS_PROVIDERS.find((name) => section(config.toml, `auth.sms.${name}`).enabled === true) ?? '',
    template: nonEmptyString(sms.template) ?? 'Your code is {{ .Code }}',
  };
}

/** `pg-functions://postgres/public/custom_access_token_hook` → `"public"."custom_access_token_hook"`. */
export function parseHookUri(uri: string, name = 'custom_access_token'): HookSettings {
  const match = /^pg-functions:\/\/[^/]+\/([^/]+)\/([^/]+)$/.exec(uri);
  if (!match) {
    throw new Error(`auth.hook.${name}.uri must be pg-functions://postgres/<schema>/<function>, got ${JSON.stringify(uri)}`);
  }
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return { uri, functionName: `${quote(match[1]!)}.${quote(match[2]!)}` };
}

/** Seconds in a Go-style duration ("1s", "1m30s", "876000h"); plain numbers are seconds. */
export function durationSeconds(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || !value) return fallback;
  const ms = parseGoDuration(value);
  return ms === undefined ? fallback : ms / 1000;
}

/** Milliseconds in a Go `time.ParseDuration` string, or undefined when it is not one. */
export function parseGoDuration(value: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const trimmed = value.trim();
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const body = trimmed.replace(/^[+-]/, '');
  if (body === '0') return 0;
  const pattern = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < body.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(body);
    if (!match) return undefined;
    total += Number(match[1]) * units[match[2]!]!;
    index = pattern.lastIndex;
  }
  return index === 0 ? undefined : sign * total;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
