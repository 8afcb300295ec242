/**
 * creator-review: an admin approves or rejects a creator application (000 §8).
 *
 * `POST {"application_id": 5, "decision": "approve" | "reject", "note": "…"}` → `200` the application
 * (`{id, user, username, application_status, status, review_note, reviewed_by, reviewed_at,
 * created_at}`). A rejection needs a note. Approval grants the `creator` role in the same transaction
 * (it reaches the applicant's JWT at their next refresh), is audited in account_actions with the
 * reviewer as actor, and notifies the applicant; a rejection keeps the note and notifies too.
 *
 * The database decides (public.review_creator_application, called as the caller so the live admin
 * check, the audit actor and the own-application rule see them): 401 signed out, 403 for anyone but
 * an active admin or for one's own application, 404 "Creator application not found.", 409 "This
 * application has already been reviewed.", 400 with field errors.
 */
import { createClient } from 'npm:@supabase/supabase-js@2';
import { detailError, forbidden, json, parseJsonBody, validationError } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { creatorReviewBody, rejectionNeedsNote, type FieldErrors } from '../_shared/rules.ts';
import { adminClient, env, requireCaller } from '../_shared/supabase.ts';

/** Whether the caller is an admin now (their live user_roles row), so a non-admin gets 403 before any 400. */
async function isAdminNow(userId: string): Promise<boolean> {
  const { data, error } = await adminClient().from('user_roles').select('role').eq('user_id', userId).maybeSingle();
  if (error) throw error;
  return data?.role === 'admin';
}

/** The field errors raise_field_errors put in a 23514's detail, or null. */
function fieldErrorsIn(details: string | undefined): FieldErrors | null {
  try {
    const parsed: unknown = JSON.parse(details ?? '');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as FieldErrors) : null;
  } catch {
    return null;
  }
}

/** The database's refusals, in the project's error style. */
function refusal(error: { code?: string; message?: string; details?: string }): Response | null {
  const message = error.message ?? '';
  switch (error.code) {
    case '42501':
      return forbidden(message || undefined);
    case 'PT404':
      return detailError(404, message);
    case 'PT409':
      return detailError(409, message);
    case '23514':
      return validationError(fieldErrorsIn(error.details) ?? { non_field_errors: [message] });
    default:
      return null;
  }
}

Deno.serve(
  postHandler(async (req) => {
    const { caller, response } = await requireCaller(req, { requireActive: true });
    if (response) return response;
    if (!(await isAdminNow(caller.user.id))) return forbidden();
    const input = await parseJsonBody(req, creatorReviewBody, rejectionNeedsNote);
    if (input.response) return input.response;

    const asCaller = createClient(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { headers: { Authorization: `Bearer ${caller.accessToken}` } },
    });
    const { data, error } = await asCaller.rpc('review_creator_application', {
      p_application_id: input.data.application_id,
      p_decision: input.data.decision,
      p_note: input.data.note === '' ? null : input.data.note,
    });
    if (error) {
      const answer = refusal(error);
      if (answer) return answer;
      throw error;
    }
    return json(data, 200);
  }),
);
