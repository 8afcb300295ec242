/**
 * change-password: the signed-in user sets a new password, proving the old one.
 * `POST {old_password, new_password, confirm_password?}` → `200 {"detail": "Password updated successfully"}` and a
 * confirmation mail, and every other session of the user signed out; `400 {"old_password": ["Wrong
 * password."]}`, policy errors on `new_password`. The confirmation mail is Auth's password_changed
 * notice (config.toml), the one every door that changes a password sends — not a second mail here.
 */
import { updateOwnPassword } from '../_shared/auth-api.ts';
import { detailError, type FieldErrors, json, parseJsonBody, validationError } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { callService, requireCaller } from '../_shared/supabase.ts';
import { changePasswordBody, passwordChecks } from '../_shared/rules.ts';

const ChangePasswordInput = changePasswordBody;

Deno.serve(
  postHandler(async (req) => {
    const auth = await requireCaller(req, { requireActive: true });
    if (auth.response) return auth.response;
    const { user, username } = auth.caller;

    const input = await parseJsonBody(req, ChangePasswordInput, passwordChecks({ field: 'new_password', username }));
    if (input.response) return input.response;

    const matches = await callService('verify_user_password', { p_user_id: user.id, p_password: input.data.old_password });
    if (matches !== true) {
      const errors: FieldErrors = { old_password: ['Wrong password.'] };
      return validationError(errors);
    }

    // As the user, so Auth keeps this session, signs every other one out and mails the notice.
    const updated = await updateOwnPassword(req, auth.caller.accessToken, {
      password: input.data.new_password,
      currentPassword: input.data.old_password,
    });
    if (!updated.ok) {
      if (updated.status >= 500) throw new Error(`Auth password update failed: ${updated.status} ${updated.code} ${updated.message}`);
      if (updated.code === 'same_password' || updated.code === 'weak_password') return validationError({ new_password: [updated.message] });
      if (updated.code === 'current_password_invalid') return validationError({ old_password: ['Wrong password.'] });
      return detailError(updated.status === 429 ? 429 : 403, updated.message);
    }
    return json({ detail: 'Password updated successfully' });
  }),
);
