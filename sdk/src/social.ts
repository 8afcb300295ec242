/**
 * `marquee.social`: follows and blocks (000 §12), followers and following lists, and friends (003):
 * requests, accept, decline, cancel, unfriend and the paged friends list.
 *
 * Every action is an RPC that runs as the caller, so the database's policies decide exactly as for
 * a raw supabase-js client; lists read security-invoker views, so blocked and inactive users never
 * appear.
 *
 * @module
 */
import { z } from 'zod';
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import type { Tables } from './database.types.ts';
import { unwrap } from './errors.ts';
import { asDetail, parseInput } from './internal.ts';
import { paginate, type Page, type PageParams } from './pagination.ts';
import type { DetailResult } from './results.ts';
import { invalidChoice, userTargetBody, uuid } from './rules/index.ts';

/** The other user of a follow, block or friend action. */
export interface UserTarget {
  /** The other user's id. */
  user_id: string;
}

/** A user in a followers, following or friends list. */
export interface SocialUser {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  /** The avatar's object path in the `avatars` bucket, or `null`. */
  profile_pic: string | null;
}

/** A follower, or a user being followed, with when the follow began. */
export type FollowEntry = SocialUser & { followed_at: string };

/** A friend, with when the friendship began. */
export type Friend = SocialUser & { friends_since: string | null };

/** A pending friend request, seen from the signed-in user. */
export interface PendingFriendRequest {
  id: number;
  /** `incoming` (to accept or decline) or `outgoing` (to cancel). */
  direction: 'incoming' | 'outgoing';
  /** The other user. */
  user_id: string;
  username: string;
  profile_pic: string | null;
  created_at: string;
}

/** Whose followers or following to list, and which page. */
export interface FollowListParams extends PageParams {
  user_id: string;
}

/** Which pending requests to list. */
export interface FriendRequestListParams extends PageParams {
  direction?: 'incoming' | 'outgoing';
}

/** `marquee.social`. */
export interface SocialApi {
  /**
   * Follows the user, or unfollows them when already followed. Errors: 400 for yourself, 404 "User
   * not found." (no such user, not active, or they blocked you), 403 when you blocked them.
   *
   * @example
   * ```ts
   * await marquee.social.toggleFollow({ user_id: janeId }); // { detail: 'Successfully followed jane_doe.' }
   * await marquee.social.toggleFollow({ user_id: janeId }); // { detail: 'Successfully unfollowed jane_doe.' }
   * ```
   */
  toggleFollow(input: UserTarget): Promise<DetailResult>;
  /**
   * Blocks the user, or unblocks them when already blocked. A block ends follows and friendships
   * both ways; from then on neither side sees or reaches the other.
   *
   * @example
   * ```ts
   * await marquee.social.toggleBlock({ user_id: janeId }); // { detail: 'Successfully blocked jane_doe.' }
   * await marquee.social.toggleBlock({ user_id: janeId }); // { detail: 'Successfully unblocked jane_doe.' }
   * ```
   */
  toggleBlock(input: UserTarget): Promise<DetailResult>;
  /**
   * Who follows a user, newest first (default 20 a page, at most 100). Users in a block with you and
   * inactive accounts are left out.
   *
   * @example
   * ```ts
   * const page = await marquee.social.followers({ user_id: janeId });
   * page.results[0]?.username; // 'john_doe'
   * ```
   */
  followers(params: FollowListParams): Promise<Page<FollowEntry>>;
  /**
   * Whom a user follows, newest first (default 20 a page, at most 100).
   *
   * @example
   * ```ts
   * const page = await marquee.social.following({ user_id: janeId, page: 2 });
   * ```
   */
  following(params: FollowListParams): Promise<Page<FollowEntry>>;
  /**
   * Sends a friend request. 409 when a request between you exists either way or you are friends;
   * 403 when you blocked them, 404 when they blocked you or do not exist.
   *
   * @example
   * ```ts
   * await marquee.social.sendFriendRequest({ user_id: janeId }); // { detail: 'Friend request sent to jane_doe.' }
   * ```
   */
  sendFriendRequest(input: UserTarget): Promise<DetailResult>;
  /**
   * Accepts the pending request `user_id` sent you. 404 "Friend request not found." otherwise.
   *
   * @example
   * ```ts
   * await marquee.social.acceptFriendRequest({ user_id: janeId }); // { detail: 'You are now friends with jane_doe.' }
   * ```
   */
  acceptFriendRequest(input: UserTarget): Promise<DetailResult>;
  /**
   * Declines the pending request `user_id` sent you.
   *
   * @example
   * ```ts
   * await marquee.social.declineFriendRequest({ user_id: janeId }); // { detail: 'Friend request from jane_doe declined.' }
   * ```
   */
  declineFriendRequest(input: UserTarget): Promise<DetailResult>;
  /**
   * Cancels your pending request to `user_id`.
   *
   * @example
   * ```ts
   * await marquee.social.cancelFriendRequest({ user_id: janeId }); // { detail: 'Friend request to jane_doe cancelled.' }
   * ```
   */
  cancelFriendRequest(input: UserTarget): Promise<DetailResult>;
  /**
   * Ends a friendship. 404 "You are not friends with jane_doe." when there is none.
   *
   * @example
   * ```ts
   * await marquee.social.unfriend({ user_id: janeId }); // { detail: 'You are no longer friends with jane_doe.' }
   * ```
   */
  unfriend(input: UserTarget): Promise<DetailResult>;
  /**
   * Your friends, newest friendship first (default 20 a page, at most 100).
   *
   * @example
   * ```ts
   * const page = await marquee.social.friends({ page: 1, page_size: 50 });
   * page.count; // how many friends you have
   * ```
   */
  friends(params?: PageParams): Promise<Page<Friend>>;
  /**
   * Your pending friend requests, newest first: `incoming`, `outgoing`, or both.
   *
   * @example
   * ```ts
   * const incoming = await marquee.social.friendRequests({ direction: 'incoming' });
   * incoming.results[0]?.username; // who asked
   * ```
   */
  friendRequests(params?: FriendRequestListParams): Promise<Page<PendingFriendRequest>>;
}

const LIST_LIMITS = { defaultPageSize: 20, maxPageSize: 100 };
const USER_COLUMNS = 'id, username, first_name, last_name, profile_pic';
const followListSchema = z.object({ user_id: uuid });
const requestListSchema = z.object({
  direction: z.enum(['incoming', 'outgoing'], { error: (issue) => invalidChoice(issue.input) }).optional(),
});

type ActionRpc = 'toggle_follow' | 'toggle_block' | 'send_friend_request' | 'accept_friend_request' | 'decline_friend_request' | 'cancel_friend_request' | 'unfriend';

function pageOf(params: PageParams): PageParams {
  const out: PageParams = {};
  if (params.page !== undefined) out.page = params.page;
  if (params.page_size !== undefined) out.page_size = params.page_size;
  return out;
}

const toFollowEntry = (row: Tables<'followers'>): FollowEntry => ({
  id: row.id!,
  username: row.username!,
  first_name: row.first_name!,
  last_name: row.last_name!,
  profile_pic: row.profile_pic,
  followed_at: row.followed_at!,
});

/**
 * Builds `marquee.social` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const social = createSocialApi(createClient<Database>(url, key));
 * await social.toggleFollow({ user_id: janeId });
 * ```
 */
export function createSocialApi(supabase: MarqueeSupabaseClient): SocialApi {
  const act = (rpc: ActionRpc) => async (target: UserTarget) => {
    const { user_id } = parseInput(userTargetBody, target);
    return asDetail(await unwrap(supabase.rpc(rpc, { p_user_id: user_id })));
  };
  const followList = (view: 'followers' | 'following') => async (params: FollowListParams) => {
    const { user_id } = parseInput(followListSchema, { user_id: params.user_id });
    const query = supabase
      .from(view)
      .select(`${USER_COLUMNS}, followed_at`, { count: 'exact' })
      .eq('user_id', user_id)
      .order('followed_at', { ascending: false })
      .order('id');
    const page = await paginate(query, pageOf(params), LIST_LIMITS);
    return { ...page, results: page.results.map((row) => toFollowEntry(row as Tables<'followers'>)) };
  };

  return {
    toggleFollow: act('toggle_follow'),
    toggleBlock: act('toggle_block'),
    followers: followList('followers'),
    following: followList('following'),
    sendFriendRequest: act('send_friend_request'),
    acceptFriendRequest: act('accept_friend_request'),
    declineFriendRequest: act('decline_friend_request'),
    cancelFriendRequest: act('cancel_friend_request'),
    unfriend: act('unfriend'),

    async friends(params = {}) {
      const query = supabase
        .from('friends')
        .select(`${USER_COLUMNS}, friends_since`, { count: 'exact' })
        .order('friends_since', { ascending: false })
        .order('id');
      const page = await paginate(query, pageOf(params), LIST_LIMITS);
      return {
        ...page,
        results: page.results.map((row) => ({
          id: row.id!,
          username: row.username!,
          first_name: row.first_name!,
          last_name: row.last_name!,
          profile_pic: row.profile_pic,
          friends_since: row.friends_since,
        })),
      };
    },

    async friendRequests(params = {}) {
      const { direction } = parseInput(requestListSchema, { direction: params.direction });
      let query = supabase.from('pending_friend_requests').select('id, direction, user_id, username, profile_pic, created_at', { count: 'exact' });
      if (direction) query = query.eq('direction', direction);
      const page = await paginate(query.order('created_at', { ascending: false }).order('id', { ascending: false }), pageOf(params), LIST_LIMITS);
      return {
        ...page,
        results: page.results.map((row) => ({
          id: row.id!,
          direction: row.direction as PendingFriendRequest['direction'],
          user_id: row.user_id!,
          username: row.username!,
          profile_pic: row.profile_pic,
          created_at: row.created_at!,
        })),
      };
    },
  };
}
