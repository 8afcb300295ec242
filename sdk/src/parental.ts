/**
 * `marquee.parental`: parental controls. A signed-in child asks for a 6-digit code to be emailed to
 * a parent and confirms it; the parent (signed in with that email) then sees their children, a
 * summary of each child's activity, and may unlink.
 *
 * @module
 */
import type { Tables } from './database.types.ts';
import { unwrap } from './errors.ts';
import { asDetail, currentUser, invokeFunction, notFound, parseInput } from './internal.ts';
import type { DetailResult } from './results.ts';
import { body, parentalRequestBody, parentalVerifyBody, uuid } from './rules/index.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** A verified link between a child account and a parent's email. */
export type ParentLink = Tables<'parent_links'>;

/** A child of the signed-in parent, with the child's public profile when visible. */
export interface ChildLink extends ParentLink {
  child: { id: string; username: string; first_name: string; last_name: string } | null;
}

/** What a verified parent may know of a child's account (rpc `get_child_activity_summary`). */
export interface ChildActivitySummary {
  child_id: string;
  username: string;
  account_status: Tables<'profiles'>['status'];
  /** ISO timestamps. */
  joined_at: string;
  last_sign_in_at: string | null;
  linked_at: string | null;
  followers: number;
  following: number;
  blocked_users: number;
  unread_notifications: number;
}

/** What {@link ParentalApi.requestOtp} takes. */
export interface ParentEmailInput {
  parent_email: string;
}

/** What {@link ParentalApi.verifyOtp} takes: the parent's email and the code mailed there. */
export interface ParentOtpInput extends ParentEmailInput {
  otp_code: string;
}

/** A child, by id. */
export interface ChildInput {
  childId: string;
}

/** `marquee.parental`. */
export interface ParentalApi {
  /**
   * As the signed-in child: emails a 6-digit code to the parent. 400
   * `{"non_field_errors": ["This parent email is already linked."]}`; 429 within 60 s.
   *
   * @example
   * ```ts
   * await marquee.parental.requestOtp({ parent_email: 'parent@example.com' }); // { detail: 'OTP sent to parent email.' }
   * ```
   */
  requestOtp(input: ParentEmailInput): Promise<DetailResult>;
  /**
   * As the signed-in child: confirms the parent's code and links the accounts. 400
   * `{"non_field_errors": ["Invalid OTP."]}`.
   *
   * @example
   * ```ts
   * await marquee.parental.verifyOtp({ parent_email: 'parent@example.com', otp_code: '483920' }); // { detail: 'OTP verified successfully.' }
   * ```
   */
  verifyOtp(input: ParentOtpInput): Promise<DetailResult>;
  /**
   * As the signed-in parent: the linked children.
   *
   * @example
   * ```ts
   * const children = await marquee.parental.children();
   * children[0]?.child?.username;
   * ```
   */
  children(): Promise<ChildLink[]>;
  /**
   * As the verified parent: a summary of the child's activity.
   *
   * @example
   * ```ts
   * const summary = await marquee.parental.childActivity({ childId });
   * summary.followers; // 3
   * ```
   */
  childActivity(input: ChildInput): Promise<ChildActivitySummary>;
  /**
   * As the signed-in parent: removes the link to a child. 404 "Not found." when there is none.
   *
   * @example
   * ```ts
   * await marquee.parental.unlink({ childId }); // { detail: 'Child unlinked.' }
   * ```
   */
  unlink(input: ChildInput): Promise<DetailResult>;
}

// Any other shape is the server's `{"non_field_errors": ["Invalid OTP."]}`, so only presence is checked here.
const childSchema = body({ childId: uuid });

/**
 * Builds `marquee.parental` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const parental = createParentalApi(createClient<Database>(url, key));
 * await parental.children();
 * ```
 */
export function createParentalApi(supabase: MarqueeSupabaseClient): ParentalApi {
  async function parentEmail(): Promise<string> {
    const user = await currentUser(supabase);
    if (!user.email) throw notFound();
    // Links store the parent's email lowercased.
    return user.email.toLowerCase();
  }

  return {
    async requestOtp(input) {
      return asDetail(await invokeFunction<unknown>(supabase, 'parental/request-otp', parseInput(parentalRequestBody, input)));
    },

    async verifyOtp(input) {
      return asDetail(await invokeFunction<unknown>(supabase, 'parental/verify-otp', parseInput(parentalVerifyBody, input)));
    },

    async children() {
      const mine = await parentEmail();
      const links = (await unwrap(supabase.from('parent_links').select('*').eq('parent_email', mine).order('created_at'))) ?? [];
      if (links.length === 0) return [];
      const ids = links.map((link) => link.child_id);
      const profiles = (await unwrap(supabase.from('public_profiles').select('id, username, first_name, last_name').in('id', ids))) ?? [];
      const byId = new Map(profiles.map((p) => [p.id, p]));
      return links.map((link) => {
        const p = byId.get(link.child_id);
        return {
          ...link,
          child: p ? { id: link.child_id, username: p.username ?? '', first_name: p.first_name, last_name: p.last_name } : null,
        };
      });
    },

    async childActivity(input) {
      const { childId } = parseInput(childSchema, input);
      const summary = await unwrap(supabase.rpc('get_child_activity_summary', { p_child_id: childId }));
      // The function's jsonb is typed `Json` by the generator; its shape is fixed by the migration.
      return summary as unknown as ChildActivitySummary;
    },

    async unlink(input) {
      const { childId: id } = parseInput(childSchema, input);
      const mine = await parentEmail();
      const removed = (await unwrap(supabase.from('parent_links').delete().eq('child_id', id).eq('parent_email', mine).select('id'))) ?? [];
      if (removed.length === 0) throw notFound();
      return { detail: 'Child unlinked.' };
    },
  };
}
