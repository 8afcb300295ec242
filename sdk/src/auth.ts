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
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import { MarqueeError, toMarqueeError, unwrap } from './errors.ts';
import { asDetail, invokeFunction, parseInput, present } from './internal.ts';
import type { DetailResult } from './results.ts';
import {
  body,
  changePasswordBody,
  code,
  editableText,
  oneOf,
  passwordChecks,
  passwordResetConfirmBody,
  passwordResetRequestBody,
  phoneSendCodeBody,
  phoneVerifyBody,
  registerBody,
  signInBody,
  uuid,
} from './rules/index.ts';

// --- inputs (the rules module's schemas: the functions parse the same bodies with them) ----------

const enrollSchema = body({ friendlyName: editableText(100).optional(), issuer: editableText(100).optional() });
const factorSchema = body({ factorId: uuid });
const verifyFactorSchema = body({ factorId: uuid, code: code() });

// --- types ---------------------------------------------------------------------------------------

/**
 * What {@link AuthApi.register} takes. `birthday` is `YYYY-MM-DD` (default `2000-01-01`);
 * `confirm_password`, when given, must equal `password`.
 */
export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  confirm_password?: string;
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

export type { DetailResult };

/** What {@link AuthApi.changePassword} takes; `confirm_password`, when given, must equal `new_password`. */
export interface ChangePasswordInput {
  old_password: string;
  new_password: string;
  confirm_password?: string;
}

/** What {@link AuthApi.requestPasswordReset} takes. */
export interface PasswordResetRequestInput {
  email: string;
}

/** What {@link AuthApi.confirmPasswordReset} takes: the emailed 6-digit code. */
export interface ConfirmPasswordResetInput {
  email: string;
  code: string;
  new_password: string;
  confirm_password?: string;
}

/** What {@link PhoneSignupApi.sendCode} takes: an E.164 number (spaces, dots, dashes and brackets are dropped). */
export interface SendCodeInput {
  phone_number: string;
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
  confirm_password?: string;
}

/** What {@link AuthApi.enrollTotp} takes. */
export interface EnrollTotpInput {
  friendlyName?: string;
  issuer?: string;
}

/** A factor, by id. */
export interface FactorInput {
  factorId: string;
}

/** A factor and the 6-digit code from the authenticator app. */
export interface VerifyFactorInput extends FactorInput {
  code: string;
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
   * 429; a number that already belongs to an account is 409.
   *
   * @example
   * ```ts
   * const { token } = await marquee.auth.phoneSignup.sendCode({ phone_number: '+14155550100' });
   * ```
   */
  sendCode(input: SendCodeInput): Promise<SendCodeResult>;
  /**
   * Verifies the code, creates the account with `password` and signs the client in.
   *
   * @example
   * ```ts
   * const session = await marquee.auth.phoneSignup.verify({ token, code: '123456', password: 'N3w-Secret!' });
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
   * await marquee.auth.signOut(); // { detail: 'Signed out.' }
   * ```
   */
  signOut(options?: { scope?: 'global' | 'local' | 'others' }): Promise<DetailResult>;
  /**
   * The client's current session, or `null` when signed out.
   *
   * @example
   * ```ts
   * const session = await marquee.auth.session();
   * if (!session) console.log('signed out');
   * ```
   */
  session(): Promise<Session | null>;
  /**
   * Changes the signed-in user's password (a confirmation email is sent).
   * 400 `{"old_password": ["Wrong password."]}`.
   *
   * @example
   * ```ts
   * await marquee.auth.changePassword({ old_password: 'S3cure-pass!', new_password: 'Even-b3tter!', confirm_password: 'Even-b3tter!' });
   * ```
   */
  changePassword(input: ChangePasswordInput): Promise<DetailResult>;
  /**
   * Emails a 6-digit reset code (valid 10 minutes). 400 `{"email": ["No account with this email."]}`;
   * 429 within 60 s of the previous code.
   *
   * @example
   * ```ts
   * await marquee.auth.requestPasswordReset({ email: 'john@example.com' });
   * ```
   */
  requestPasswordReset(input: PasswordResetRequestInput): Promise<DetailResult>;
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
   * console.log(factor.totp.qr_code);
   * ```
   */
  enrollTotp(input?: EnrollTotpInput): Promise<TotpEnrollment>;
  /**
   * Challenges a factor and verifies the 6-digit code; on success the session is upgraded to `aal2`
   * (and a newly enrolled factor becomes verified).
   *
   * @example
   * ```ts
   * await marquee.auth.challengeAndVerify({ factorId: factor.id, code: '123456' });
   * (await marquee.auth.aal()).currentLevel; // 'aal2'
   * ```
   */
  challengeAndVerify(input: VerifyFactorInput): Promise<MfaVerification>;
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
   * await marquee.auth.unenroll({ factorId: factor.id }); // { detail: 'Factor removed.' }
   * ```
   */
  unenroll(input: FactorInput): Promise<DetailResult>;
  /**
   * The session's authenticator assurance level: `currentLevel` `aal1` with `nextLevel` `aal2`
   * means the user has a verified factor and should be asked for a code.
   *
   * @example
   * ```ts
   * const { currentLevel, nextLevel } = await marquee.auth.aal();
   * if (currentLevel === 'aal1' && nextLevel === 'aal2') console.log('ask for a code');
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
 * await auth.signIn({ email: 'john@example.com', password: 'S3cure-pass!' });
 * ```
 */
export function createAuthApi(supabase: MarqueeSupabaseClient): AuthApi {
  const detailOf = async (name: string, body: Record<string, unknown> = {}) => asDetail(await invokeFunction<unknown>(supabase, name, body));

  return {
    async register(input) {
      const data = parseInput(registerBody, input, passwordChecks({ field: 'password' }));
      return invokeFunction<RegisterResult>(supabase, 'register', data);
    },

    async signIn(input) {
      const data = parseInput(signInBody, input, oneOf('username', 'email'));
      const tokens = await invokeFunction<SessionJson>(supabase, 'sign-in', data);
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
      return { detail: 'Signed out.' };
    },

    async session() {
      const { data, error } = await supabase.auth.getSession();
      if (error) throw await toMarqueeError(error);
      return data.session;
    },

    async changePassword(input) {
      return detailOf('change-password', parseInput(changePasswordBody, input, passwordChecks({ field: 'new_password' })));
    },

    async requestPasswordReset(input) {
      return detailOf('password-reset/request', parseInput(passwordResetRequestBody, input));
    },

    async confirmPasswordReset(input) {
      return detailOf('password-reset/confirm', parseInput(passwordResetConfirmBody, input, passwordChecks({ field: 'new_password' })));
    },

    phoneSignup: {
      async sendCode(input) {
        return invokeFunction<SendCodeResult>(supabase, 'phone-signup/send-code', parseInput(phoneSendCodeBody, input));
      },
      async verify(input) {
        const data = parseInput(phoneVerifyBody, input, passwordChecks({ field: 'password' }));
        const tokens = await invokeFunction<SessionJson>(supabase, 'phone-signup/verify', data);
        return adopt(supabase, tokens);
      },
    },

    async enrollTotp(input = {}) {
      const { friendlyName, issuer } = parseInput(enrollSchema, input);
      const data = await unwrap(
        supabase.auth.mfa.enroll({
          factorType: 'totp',
          ...(friendlyName ? { friendlyName } : {}),
          ...(issuer ? { issuer } : {}),
        }),
      );
      return present(data, 'the new factor');
    },

    async challengeAndVerify(input) {
      const data = parseInput(verifyFactorSchema, input);
      return present(await unwrap(supabase.auth.mfa.challengeAndVerify(data)), 'the verified session');
    },

    async listFactors() {
      return present(await unwrap(supabase.auth.mfa.listFactors()), 'the factors');
    },

    async unenroll(input) {
      await unwrap(supabase.auth.mfa.unenroll(parseInput(factorSchema, input)));
      return { detail: 'Factor removed.' };
    },

    async aal() {
      const data = present(await unwrap(supabase.auth.mfa.getAuthenticatorAssuranceLevel()), 'the assurance level');
      return { currentLevel: data.currentLevel, nextLevel: data.nextLevel, currentAuthenticationMethods: data.currentAuthenticationMethods };
    },

    async deleteAccount() {
      const result = await detailOf('delete-account');
      // The account and its sessions are gone; the local sign-out cannot fail in a way that matters.
      await supabase.auth.signOut({ scope: 'local' }).catch(() => undefined);
      return result;
    },
  };
}
