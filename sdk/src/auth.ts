/**
 * `marquee.auth`: registration, sign-in by username or email, sessions, passwords, phone signup,
 * TOTP multi-factor authentication and account deletion.
 *
 * Registration, sign-in, password changes and phone signup go through Marquee's edge functions
 * (they apply the reference APIs' rules and messages); sessions are supabase-js sessions, so the
 * client is signed in afterwards for every other namespace.
 *
 * @module
 */
import type {
  AuthMFAEnrollTOTPResponse,
  AuthMFAGetAuthenticatorAssuranceLevelResponse,
  AuthMFAListFactorsResponse,
  AuthMFAVerifyResponse,
  AuthenticatorAssuranceLevels,
  Session,
} from '@supabase/supabase-js';
import { z } from 'zod';
import type { MarqueeSupabaseClient } from './client.ts';
import { MarqueeError, toMarqueeError, unwrap } from './errors.ts';
import {
  INVALID_CODE,
  PASSWORD_TOO_SIMILAR,
  REQUIRED,
  boundedText,
  email,
  invokeFunction,
  parseInput,
  password,
  phoneNumber,
  present,
  requiredText,
  trimmedText,
  text,
  tooSimilar,
  username,
  uuid,
} from './internal.ts';

// --- inputs --------------------------------------------------------------------------------------

const INVALID_DATE = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.';
const birthday = text().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1900;
}, INVALID_DATE);
const name = () => text().trim().max(50, 'Ensure this field has no more than 50 characters.').nullish();

const registerSchema = z
  .strictObject({
    username: username(),
    email: email(),
    password: password(),
    birthday: birthday.nullish(),
    first_name: name(),
    last_name: name(),
  })
  .superRefine((input, ctx) => {
    if (tooSimilar(input.password, input.username)) ctx.addIssue({ code: 'custom', path: ['password'], message: PASSWORD_TOO_SIMILAR });
  });

const signInSchema = z
  .strictObject({
    username: trimmedText().max(254, 'Ensure this field has no more than 254 characters.').optional(),
    email: trimmedText().max(254, 'Ensure this field has no more than 254 characters.').optional(),
    password: requiredText(),
  })
  .superRefine((input, ctx) => {
    if (input.username === undefined && input.email === undefined) ctx.addIssue({ code: 'custom', path: ['username'], message: REQUIRED });
  });

const changePasswordSchema = z.strictObject({ old_password: requiredText(), new_password: password() });
const resetRequestSchema = z.strictObject({ email: email() });
const resetConfirmSchema = z.strictObject({
  email: email(),
  // A code of another shape is the server's "Invalid or expired reset code." (a detail, not a field error).
  code: trimmedText(),
  new_password: password(),
});
const phoneSchema = z.strictObject({ phone_number: phoneNumber() });
const phoneVerifySchema = z.strictObject({
  token: trimmedText().regex(/^[0-9a-f]{64}$/i, 'Invalid token.'),
  code: trimmedText().regex(/^\d{6}$/, 'Invalid or expired verification code.'),
  password: password(),
});
const totpCode = trimmedText().regex(/^\d{6}$/, INVALID_CODE);
const enrollSchema = z.strictObject({ friendlyName: boundedText(100).optional(), issuer: boundedText(100).optional() });

// --- types ---------------------------------------------------------------------------------------

/** What {@link AuthApi.register} takes. `birthday` is `YYYY-MM-DD` (default `2000-01-01`). */
export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  birthday?: string;
  first_name?: string;
  last_name?: string;
}

/** `201` answer of registration. */
export interface RegisterResult {
  message: string;
  user: { id: string; username: string; email: string };
  /** Whether the welcome email was handed to the mail server. */
  email_sent: boolean;
}

/** Sign in with a username or an email address. */
export type SignInInput = { username: string; email?: undefined; password: string } | { email: string; username?: undefined; password: string };

/** `{"detail": "..."}`, the answer of most account actions. */
export interface DetailResult {
  detail: string;
}

/** What {@link AuthApi.changePassword} takes. */
export interface ChangePasswordInput {
  old_password: string;
  new_password: string;
}

/** What {@link AuthApi.confirmPasswordReset} takes: the emailed 6-digit code. */
export interface ConfirmPasswordResetInput {
  email: string;
  code: string;
  new_password: string;
}

/** The answer of {@link PhoneSignupApi.sendCode}: the token to pass to `verify`. */
export interface SendCodeResult {
  token: string;
  message: string;
}

/** What {@link PhoneSignupApi.verify} takes. */
export interface PhoneVerifyInput {
  token: string;
  code: string;
  password: string;
}

/** A new TOTP factor: show `totp.qr_code` (an SVG data URL) or `totp.uri`, then verify a code. */
export type TotpEnrollment = NonNullable<AuthMFAEnrollTOTPResponse['data']>;
/** The user's factors (`all`, `totp`, `phone`). */
export type Factors = NonNullable<AuthMFAListFactorsResponse['data']>;
/** The session tokens after a factor was verified (the session is now `aal2`). */
export type MfaVerification = NonNullable<AuthMFAVerifyResponse['data']>;

/** The session's assurance level and the level it could reach. */
export interface AssuranceLevel {
  currentLevel: AuthenticatorAssuranceLevels | null;
  nextLevel: AuthenticatorAssuranceLevels | null;
  /** How and when the session's user authenticated (`password`, `totp`, …). */
  currentAuthenticationMethods: NonNullable<AuthMFAGetAuthenticatorAssuranceLevelResponse['data']>['currentAuthenticationMethods'];
}

/** Phone-number signup with an SMS code (reference 001). */
export interface PhoneSignupApi {
  /**
   * Sends a 6-digit code by SMS to a new phone number (E.164). A second request within 60 s is
   * 429; a number that already has an account is 409.
   *
   * @example
   * ```ts
   * const { token } = await marquee.auth.phoneSignup.sendCode('+14155550100');
   * ```
   */
  sendCode(phoneNumber: string): Promise<SendCodeResult>;
  /**
   * Verifies the code, creates the account with `password` and signs the client in.
   *
   * @example
   * ```ts
   * const session = await marquee.auth.phoneSignup.verify({ token, code: '123456', password: 'n3w-Secret!' });
   * ```
   */
  verify(input: PhoneVerifyInput): Promise<Session>;
}

/** `marquee.auth`. */
export interface AuthApi {
  /**
   * Creates an account (visitor role, welcome notification and email). Does not sign in.
   * 400 `{"username": ["Username already exists."]}` / `{"email": ["Email already exists."]}`.
   *
   * @example
   * ```ts
   * const { user } = await marquee.auth.register({ username: 'john_doe', email: 'john@example.com', password: 'S3cure-pass!' });
   * ```
   */
  register(input: RegisterInput): Promise<RegisterResult>;
  /**
   * Signs in with a username or email and password; the client keeps the session. 401 "No active
   * account found with the given credentials"; 403 for a deactivated, suspended or banned account.
   *
   * @example
   * ```ts
   * const session = await marquee.auth.signIn({ username: 'john_doe', password: 'S3cure-pass!' });
   * session.user.id;
   * ```
   */
  signIn(input: SignInInput): Promise<Session>;
  /**
   * Refreshes the session (new access token with current role and account status claims). Fails
   * with 403 once the account was suspended, banned or deactivated.
   *
   * @example
   * ```ts
   * const session = await marquee.auth.refresh();
   * ```
   */
  refresh(): Promise<Session>;
  /**
   * Signs out: revokes the refresh tokens (`global`, the default; `others`; or only this client's,
   * `local`) and clears the client's session.
   *
   * @example
   * ```ts
   * await marquee.auth.signOut();
   * ```
   */
  signOut(options?: { scope?: 'global' | 'local' | 'others' }): Promise<void>;
  /**
   * The client's current session, or `null` when signed out.
   *
   * @example
   * ```ts
   * const session = await marquee.auth.session();
   * if (!session) showSignIn();
   * ```
   */
  session(): Promise<Session | null>;
  /**
   * Changes the signed-in user's password (a confirmation email is sent).
   * 400 `{"old_password": ["Wrong password."]}`.
   *
   * @example
   * ```ts
   * await marquee.auth.changePassword({ old_password: 'S3cure-pass!', new_password: 'Even-b3tter!' });
   * ```
   */
  changePassword(input: ChangePasswordInput): Promise<DetailResult>;
  /**
   * Emails a 6-digit reset code (valid 10 minutes). 400 `{"email": ["No account with this email."]}`;
   * 429 within 60 s of the previous code.
   *
   * @example
   * ```ts
   * await marquee.auth.requestPasswordReset('john@example.com');
   * ```
   */
  requestPasswordReset(email: string): Promise<DetailResult>;
  /**
   * Sets a new password with the emailed code. 400 `{"detail": "Invalid or expired reset code."}`.
   *
   * @example
   * ```ts
   * await marquee.auth.confirmPasswordReset({ email: 'john@example.com', code: '482910', new_password: 'Even-b3tter!' });
   * ```
   */
  confirmPasswordReset(input: ConfirmPasswordResetInput): Promise<DetailResult>;
  /** Phone-number signup: `sendCode`, then `verify`. */
  readonly phoneSignup: PhoneSignupApi;
  /**
   * Starts TOTP enrolment: returns the factor id, secret, `otpauth://` URI and QR code.
   *
   * @example
   * ```ts
   * const factor = await marquee.auth.enrollTotp({ friendlyName: 'phone' });
   * showQr(factor.totp.qr_code);
   * ```
   */
  enrollTotp(options?: { friendlyName?: string; issuer?: string }): Promise<TotpEnrollment>;
  /**
   * Challenges a factor and verifies the 6-digit code; on success the session is upgraded to `aal2`
   * (and a newly enrolled factor becomes verified).
   *
   * @example
   * ```ts
   * await marquee.auth.challengeAndVerify(factor.id, '123456');
   * (await marquee.auth.aal()).currentLevel; // 'aal2'
   * ```
   */
  challengeAndVerify(factorId: string, code: string): Promise<MfaVerification>;
  /**
   * The signed-in user's factors.
   *
   * @example
   * ```ts
   * const { totp } = await marquee.auth.listFactors();
   * ```
   */
  listFactors(): Promise<Factors>;
  /**
   * Removes a factor (needs an `aal2` session when the factor is verified).
   *
   * @example
   * ```ts
   * await marquee.auth.unenroll(factor.id);
   * ```
   */
  unenroll(factorId: string): Promise<void>;
  /**
   * The session's authenticator assurance level: `currentLevel` `aal1` with `nextLevel` `aal2`
   * means the user has a verified factor and should be asked for a code.
   *
   * @example
   * ```ts
   * const { currentLevel, nextLevel } = await marquee.auth.aal();
   * if (currentLevel === 'aal1' && nextLevel === 'aal2') askForCode();
   * ```
   */
  aal(): Promise<AssuranceLevel>;
  /**
   * Permanently deletes the signed-in user's account (profile, content and avatars), then clears
   * the local session.
   *
   * @example
   * ```ts
   * await marquee.auth.deleteAccount(); // { detail: 'Account deleted successfully.' }
   * ```
   */
  deleteAccount(): Promise<DetailResult>;
}

// --- implementation ------------------------------------------------------------------------------

/** The GoTrue session JSON the sign-in and phone-verify functions answer with. */
interface SessionJson {
  access_token: string;
  refresh_token: string;
}

async function adopt(supabase: MarqueeSupabaseClient, tokens: SessionJson): Promise<Session> {
  if (!tokens || typeof tokens.access_token !== 'string' || typeof tokens.refresh_token !== 'string') {
    throw new MarqueeError({ status: 502, code: 'bad_gateway', detail: 'The server did not answer with a session.', cause: tokens });
  }
  const { data, error } = await supabase.auth.setSession({ access_token: tokens.access_token, refresh_token: tokens.refresh_token });
  if (error) throw await toMarqueeError(error);
  return present(data.session, 'a session');
}

/**
 * Builds `marquee.auth` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const auth = createAuthApi(createClient<Database>(url, key));
 * await auth.signIn({ email, password });
 * ```
 */
export function createAuthApi(supabase: MarqueeSupabaseClient): AuthApi {
  return {
    async register(input) {
      const body = parseInput(registerSchema, input);
      return invokeFunction<RegisterResult>(supabase, 'register', body);
    },

    async signIn(input) {
      const body = parseInput(signInSchema, input);
      const tokens = await invokeFunction<SessionJson>(supabase, 'sign-in', body);
      return adopt(supabase, tokens);
    },

    async refresh() {
      const { data, error } = await supabase.auth.refreshSession();
      if (error) throw await toMarqueeError(error);
      return present(data.session, 'a session');
    },

    async signOut(options = {}) {
      const { error } = await supabase.auth.signOut(options.scope ? { scope: options.scope } : undefined);
      if (error) throw await toMarqueeError(error);
    },

    async session() {
      const { data, error } = await supabase.auth.getSession();
      if (error) throw await toMarqueeError(error);
      return data.session;
    },

    async changePassword(input) {
      return invokeFunction<DetailResult>(supabase, 'change-password', parseInput(changePasswordSchema, input));
    },

    async requestPasswordReset(emailAddress) {
      return invokeFunction<DetailResult>(supabase, 'password-reset/request', parseInput(resetRequestSchema, { email: emailAddress }));
    },

    async confirmPasswordReset(input) {
      return invokeFunction<DetailResult>(supabase, 'password-reset/confirm', parseInput(resetConfirmSchema, input));
    },

    phoneSignup: {
      async sendCode(phone_number) {
        return invokeFunction<SendCodeResult>(supabase, 'phone-signup/send-code', parseInput(phoneSchema, { phone_number }));
      },
      async verify(input) {
        const tokens = await invokeFunction<SessionJson>(supabase, 'phone-signup/verify', parseInput(phoneVerifySchema, input));
        return adopt(supabase, tokens);
      },
    },

    async enrollTotp(options = {}) {
      const { friendlyName, issuer } = parseInput(enrollSchema, options);
      const data = await unwrap(
        supabase.auth.mfa.enroll({
          factorType: 'totp',
          ...(friendlyName !== undefined ? { friendlyName } : {}),
          ...(issuer !== undefined ? { issuer } : {}),
        }),
      );
      return present(data, 'the new factor');
    },

    async challengeAndVerify(factorId, code) {
      const input = parseInput(z.strictObject({ factorId: uuid(), code: totpCode }), { factorId, code });
      return present(await unwrap(supabase.auth.mfa.challengeAndVerify(input)), 'the verified session');
    },

    async listFactors() {
      return present(await unwrap(supabase.auth.mfa.listFactors()), 'the factors');
    },

    async unenroll(factorId) {
      const input = parseInput(z.strictObject({ factorId: uuid() }), { factorId });
      await unwrap(supabase.auth.mfa.unenroll(input));
    },

    async aal() {
      const data = present(await unwrap(supabase.auth.mfa.getAuthenticatorAssuranceLevel()), 'the assurance level');
      return { currentLevel: data.currentLevel, nextLevel: data.nextLevel, currentAuthenticationMethods: data.currentAuthenticationMethods };
    },

    async deleteAccount() {
      const result = await invokeFunction<DetailResult>(supabase, 'delete-account');
      // The account and its sessions are gone; the local sign-out cannot fail in a way that matters.
      await supabase.auth.signOut({ scope: 'local' }).catch(() => undefined);
      return result;
    },
  };
}
