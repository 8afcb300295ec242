/**
 * The result shapes shared by every namespace.
 *
 * @module
 */

/**
 * The answer of every action that returns no data ("done" answers: password changed, code sent,
 * account suspended, link removed, notification marked read…): one human-readable sentence.
 *
 * @example
 * ```ts
 * const { detail } = await marquee.auth.changePassword({ old_password: 'Old-pass-1!', new_password: 'New-pass-2!' });
 * console.log(detail); // 'Password updated successfully'
 * ```
 */
export interface DetailResult {
  detail: string;
}
