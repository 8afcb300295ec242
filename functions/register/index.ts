/**
 * register: a new account through Supabase Auth's own sign-up (so Auth sends its confirmation mail
 * when confirmations are on), then the welcome mail.
 * `POST {username, email, password, confirm_password?, birthday?, first_name?, last_name?}` →
 * `201 {message, user: {id, username, email}, email_sent}`; `400 {"username": ["Username already
 * exists."], "email": ["Email already exists."]}` and field errors, all at once; `429 {"detail"}`
 * with Retry-After past 10 registrations an hour from one client address.
 */
import { signUp } from '../_shared/auth-api.ts';
import { type FieldErrors, forbidden, json, parseJsonBody, tooManyRequests, validationError } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { LIMITS } from '../_shared/limits.ts';
import { clientAddress, takeLimits } from '../_shared/rate-limit.ts';
import { sendMail } from '../_shared/mail.ts';
import { adminClient, findSignInAccount } from '../_shared/supabase.ts';
import { passwordChecks, registerBody } from '../_shared/rules.ts';

const USERNAME_TAKEN = 'Username already exists.';
const EMAIL_TAKEN = 'Email already exists.';

const RegisterInput = registerBody;

/** Which of the username and email already belong to an account. */
async function takenFields(name: string, address: string): Promise<FieldErrors> {
  const [profile, account] = await Promise.all([
    // profiles.username is citext: equality ignores case.
    adminClient().from('profiles').select('id').eq('username', name).limit(1),
    findSignInAccount(address),
  ]);
  if (profile.error) throw profile.error;
  const errors: FieldErrors = {};
  if (profile.data.length > 0) errors.username = [USERNAME_TAKEN];
  if (account && account.email?.toLowerCase() === address) errors.email = [EMAIL_TAKEN];
  return errors;
}

Deno.serve(
  postHandler(async (req) => {
    const input = await parseJsonBody(req, RegisterInput, passwordChecks({ field: 'password' }));
    if (input.response) return input.response;
    const { data } = input;

    const limited = await takeLimits([[LIMITS.registerPerIp, clientAddress(req)]]);
    if (limited) return limited;

    const taken = await takenFields(data.username, data.email);
    if (Object.keys(taken).length > 0) return validationError(taken);

    const metadata: Record<string, unknown> = { username: data.username, first_name: data.first_name, last_name: data.last_name };
    if (data.birthday) metadata.birthday = data.birthday;
    const result = await signUp(req, { email: data.email, password: data.password, data: metadata });

    if (!result.ok) {
      if (result.status === 429) return tooManyRequests(result.message);
      // Auth's before_user_created hook refuses an identity of a banned account.
      if (result.status === 403) return forbidden(result.message);
      if (result.code === 'user_already_exists' || result.code === 'email_exists') return validationError({ email: [EMAIL_TAKEN] });
      if (result.status >= 500) {
        // Another registration took the username (the profile trigger's unique violation) or the
        // email between the check and the sign-up; say which.
        const raced = await takenFields(data.username, data.email);
        if (Object.keys(raced).length > 0) return validationError(raced);
        if (/database error saving new user/i.test(result.message)) return validationError({ username: [USERNAME_TAKEN] });
        throw new Error(`Auth sign-up failed: ${result.status} ${result.code} ${result.message}`);
      }
      return validationError({ non_field_errors: [result.message] });
    }

    const user = (result.body.user ?? result.body) as { id?: string; email?: string };
    if (!user.id) throw new Error('Auth sign-up answered without a user');

    const emailSent = await sendMail({
      to: data.email,
      subject: 'Welcome to Marquee',
      text:
        `Hi ${data.username},\n\nWelcome to Marquee! Your account has been successfully created.\n` +
        `Sign in with your username or this email address.\n\n— The Marquee team`,
    });

    return json(
      { message: 'User registered successfully.', user: { id: user.id, username: data.username, email: data.email }, email_sent: emailSent },
      201,
    );
  }),
);
