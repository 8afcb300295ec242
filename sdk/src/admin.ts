/**
 * `marquee.admin`: administration for users with the `admin` role. The account part: listing
 * users, suspending, banning and reactivating, and the audit of those actions. Every call by a non-admin is 403.
 *
 * @module
 */
import { z } from 'zod';
import type { Database, Tables } from './database.types.ts';
import { unwrap } from './errors.ts';
import { asDetail, parseInput } from './internal.ts';
import { paginate, type Page, type PageParams } from './pagination.ts';
import type { DetailResult } from './results.ts';
import { body, editableText, invalidChoice, uuid } from './rules/index.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** An account's status: `active`, `deactivated` (by its owner), `suspended` or `banned`. */
export type AccountStatus = Database['public']['Enums']['account_status'];

/** A user as the admin list shows it (includes email, phone and last sign-in). */
export type AdminUser = Database['public']['Functions']['admin_list_users']['Returns'][number];

/** One suspend / unsuspend / ban / unban / reactivate, with who did it and why. */
export type AccountAction = Tables<'account_actions'>;

/** Filters for {@link AdminApi.listUsers}. */
export interface ListUsersParams extends PageParams {
  /** Only accounts in this state. */
  status?: AccountStatus;
  /** Matches username or email (case-insensitive, partial). */
  search?: string;
}

/** The account an admin action is about, and why (kept in the audit). */
export interface AccountActionInput {
  userId: string;
  reason?: string;
}

/** Filters for {@link AdminApi.actions}. */
export interface ActionsParams extends PageParams {
  /** Only actions on this user. */
  userId?: string;
}

/** `marquee.admin`. */
export interface AdminApi {
  /**
   * Lists users, newest first.
   *
   * @example
   * ```ts
   * const page = await marquee.admin.listUsers({ status: 'suspended', page: 1 });
   * ```
   */
  listUsers(params?: ListUsersParams): Promise<Page<AdminUser>>;
  /**
   * Suspends an account: its sessions stop refreshing and it can no longer sign in or write.
   *
   * @example
   * ```ts
   * await marquee.admin.suspend({ userId, reason: 'Spam' });
   * ```
   */
  suspend(input: AccountActionInput): Promise<DetailResult>;
  /**
   * Lifts a suspension.
   *
   * @example
   * ```ts
   * await marquee.admin.unsuspend({ userId });
   * ```
   */
  unsuspend(input: AccountActionInput): Promise<DetailResult>;
  /**
   * Bans an account.
   *
   * @example
   * ```ts
   * await marquee.admin.ban({ userId, reason: 'Abuse' });
   * ```
   */
  ban(input: AccountActionInput): Promise<DetailResult>;
  /**
   * Lifts a ban.
   *
   * @example
   * ```ts
   * await marquee.admin.unban({ userId });
   * ```
   */
  unban(input: AccountActionInput): Promise<DetailResult>;
  /**
   * Reactivates an account its owner deactivated (they cannot sign in to undo it themselves).
   *
   * @example
   * ```ts
   * await marquee.admin.reactivate({ userId, reason: 'Asked by email' });
   * ```
   */
  reactivate(input: AccountActionInput): Promise<DetailResult>;
  /**
   * The audit of account actions, newest first, optionally for one user.
   *
   * @example
   * ```ts
   * const page = await marquee.admin.actions({ userId });
   * page.results[0]?.action; // 'suspend'
   * ```
   */
  actions(params?: ActionsParams): Promise<Page<AccountAction>>;
}

const STATUSES = ['active', 'deactivated', 'suspended', 'banned'] as const satisfies readonly AccountStatus[];
const listSchema = z.object({
  status: z.enum(STATUSES, { error: (issue) => invalidChoice(issue.input) }).optional(),
  search: editableText(100).optional(),
});
const actionSchema = body({ userId: uuid, reason: editableText(1000).optional() });

type ActionRpc = 'admin_suspend_user' | 'admin_unsuspend_user' | 'admin_ban_user' | 'admin_unban_user' | 'admin_reactivate_user';

/**
 * Builds `marquee.admin` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const admin = createAdminApi(createClient<Database>(url, key));
 * await admin.listUsers();
 * ```
 */
export function createAdminApi(supabase: MarqueeSupabaseClient): AdminApi {
  const act = (rpc: ActionRpc) => async (action: AccountActionInput) => {
    const input = parseInput(actionSchema, action);
    const data = await unwrap(supabase.rpc(rpc, { p_user_id: input.userId, ...(input.reason ? { p_reason: input.reason } : {}) }));
    return asDetail(data);
  };

  return {
    async listUsers(params = {}) {
      const { status, search } = parseInput(listSchema, { status: params.status, search: params.search });
      const args: { p_status?: AccountStatus; p_search?: string } = {};
      if (status) args.p_status = status;
      if (search) args.p_search = search;
      const query = supabase.rpc('admin_list_users', args, { count: 'exact' }).order('created_at', { ascending: false }).order('id');
      return paginate(query, pageOf(params));
    },
    suspend: act('admin_suspend_user'),
    unsuspend: act('admin_unsuspend_user'),
    ban: act('admin_ban_user'),
    unban: act('admin_unban_user'),
    reactivate: act('admin_reactivate_user'),
    async actions(params = {}) {
      const { userId } = parseInput(z.object({ userId: uuid.optional() }), { userId: params.userId });
      let query = supabase.from('account_actions').select('*', { count: 'exact' });
      if (userId) query = query.eq('user_id', userId);
      return paginate(query.order('created_at', { ascending: false }).order('id', { ascending: false }), pageOf(params));
    },
  };
}

function pageOf(params: PageParams): PageParams {
  const out: PageParams = {};
  if (params.page !== undefined) out.page = params.page;
  if (params.page_size !== undefined) out.page_size = params.page_size;
  return out;
}
