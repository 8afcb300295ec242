/**
 * `marquee.parental`: parental controls. A signed-in child asks for a 6-digit code to be emailed to
 * a parent and confirms it; the parent (signed in with that email) then sees their children, a
 * summary of each child's activity, and may unlink.
 *
 * @module
 */
import { z } from 'zod';
import type { MarqueeSupabaseClient } from './client.ts';
import type { Json, Tables } from './database.types.ts';
import { unwrap } from './errors.ts';
import { currentUser, email, invokeFunction, notFound, parseInput, trimmedText, uuid } from './internal.ts';

/** A verified link between a child account and a parent's email. */
export type ParentLink = Tables<'parent_links'>;

/** A child of the signed-in parent, with the child's public profile when visible. */
export interface ChildLink extends ParentLink {
  child: { id: string; username: string; first_name: string; last_name: string } | null;
}

/** `marquee.parental`. */
export interface ParentalApi {
  /**
   * As the signed-in child: emails a 6-digit code to the parent. 400
   * `{"non_field_errors": ["This parent email is already linked."]}`; 429 within 60 s.
   *
   * @example
   * ```ts
   * await marquee.parental.requestOtp('parent@example.com'); // { message: 'OTP sent to parent email.' }
   * ```
   */
  requestOtp(parentEmail: string): Promise<{ message: string }>;
  /**
   * As the signed-in child: confirms the parent's code and links the accounts. 400
   * `{"non_field_errors": ["Invalid OTP."]}`.
   *
   * @example
   * ```ts
   * await marquee.parental.verifyOtp('parent@example.com', '483920'); // { message: 'OTP verified successfully.' }
   * ```
   */
  verifyOtp(parentEmail: string, otpCode: string): Promise<{ message: string }>;
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
   * As the verified parent: a summary of the child's activity (a JSON object).
   *
   * @example
   * ```ts
   * const summary = await marquee.parental.childActivity(childId);
   * ```
   */
  childActivity(childId: string): Promise<Json>;
  /**
   * As the signed-in parent: removes the link to a child. 404 "Not found." when there is none.
   *
   * @example
   * ```ts
   * await marquee.parental.unlink(childId);
   * ```
   */
  unlink(childId: string): Promise<void>;
}

// Any other shape is the server's `{"non_field_errors": ["Invalid OTP."]}`, so only presence is checked here.
const otpCode = trimmedText();

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
    async requestOtp(parent_email) {
      const body = parseInput(z.strictObject({ parent_email: email() }), { parent_email });
      return invokeFunction<{ message: string }>(supabase, 'parental/request-otp', body);
    },

    async verifyOtp(parent_email, otp_code) {
      const body = parseInput(z.strictObject({ parent_email: email(), otp_code: otpCode }), { parent_email, otp_code });
      return invokeFunction<{ message: string }>(supabase, 'parental/verify-otp', body);
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

    async childActivity(childId) {
      const { id } = parseInput(z.strictObject({ id: uuid() }), { id: childId });
      return unwrap(supabase.rpc('get_child_activity_summary', { p_child_id: id }));
    },

    async unlink(childId) {
      const { id } = parseInput(z.strictObject({ id: uuid() }), { id: childId });
      const mine = await parentEmail();
      const removed = (await unwrap(supabase.from('parent_links').delete().eq('child_id', id).eq('parent_email', mine).select('id'))) ?? [];
      if (removed.length === 0) throw notFound();
    },
  };
}
