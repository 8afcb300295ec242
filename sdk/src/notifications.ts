/**
 * `marquee.notifications`: the signed-in user's notifications (filtered by their preferences, by
 * type and by unread, with an unread count), read marks, deletion, the eight preference flags, a live
 * subscription, and this device's push token.
 *
 * @module
 */
import { z } from 'zod';
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import type { Database, Tables } from './database.types.ts';
import { toMarqueeError, unwrap } from './errors.ts';
import { asDetail, currentUser, notFound, parseInput } from './internal.ts';
import { paginate, type Page, type PageParams } from './pagination.ts';
import type { DetailResult } from './results.ts';
import { body, flag, id, notificationFilters, pushTokenBody, text } from './rules/index.ts';
import { subscribeChannel } from './channels.ts';
import { requireWebSocket } from './websocket.ts';

/** A notification as the reference API lists it. */
export type Notification = Pick<
  Tables<'notifications'>,
  'id' | 'message' | 'created_at' | 'is_read' | 'page' | 'page_item_id' | 'notification_type'
>;

/** The eight preference flags. */
export type PreferenceFlags = Pick<
  Tables<'notification_preferences'>,
  | 'all_notifications'
  | 'email_notifications'
  | 'push_notifications'
  | 'follow_notifications'
  | 'likes_notifications'
  | 'comments_notifications'
  | 'new_events_notifications'
  | 'event_reminders_notifications'
>;

/** The preferences object: `user` (the user id) and the eight flags. */
export type NotificationPreferences = { user: string } & PreferenceFlags;

/** A notification, by id. */
export interface NotificationInput {
  id: number;
}

/** A notification kind. */
export type NotificationType = Database['public']['Enums']['notification_type'];

/** Filters for {@link NotificationsApi.list}. */
export interface NotificationListParams extends PageParams {
  /** `true`: only unread notifications (003's `unread`). */
  unread?: boolean;
  /** Only unread (`false`) or read (`true`) notifications. */
  is_read?: boolean;
  /** Only notifications of this kind (003's `type`). */
  type?: NotificationType;
}

/** A page of notifications with the user's unread count (003). */
export type NotificationPage = Page<Notification> & {
  /** How many of the user's notifications (of the kinds they want) are unread, whatever the filters. */
  unread_count: number;
};

/** A push platform. */
export type PushPlatform = Database['public']['Enums']['push_platform'];

/** This device's push token (003). */
export interface PushTokenInput {
  token: string;
  platform: PushPlatform;
}

/** A push token, to remove. */
export interface PushTokenRemoval {
  token: string;
}

/** `marquee.notifications`. */
export interface NotificationsApi {
  /**
   * The signed-in user's notifications, newest first, of the types their preferences enable, with
   * their `unread_count`. Filters: `unread: true`, `is_read`, `type`.
   *
   * @example
   * ```ts
   * const page = await marquee.notifications.list({ page: 1, page_size: 20 });
   * page.results[0]?.message; // 'Welcome john_doe! Your account has been successfully created.'
   * const follows = await marquee.notifications.list({ type: 'follow', unread: true });
   * follows.unread_count; // 3
   * ```
   */
  list(params?: NotificationListParams): Promise<NotificationPage>;
  /**
   * Deletes one of the signed-in user's notifications. 404 "Not found." when it is not theirs.
   *
   * @example
   * ```ts
   * await marquee.notifications.remove({ id: 10 }); // { detail: 'Notification deleted.' }
   * ```
   */
  remove(input: NotificationInput): Promise<DetailResult>;
  /**
   * Registers this device's push token (one per signed-in session: registering again replaces it).
   * Signing this device out, or deleting the account, removes it.
   *
   * @example
   * ```ts
   * await marquee.notifications.registerPushToken({ token, platform: 'ios' }); // { detail: 'Push token updated.' }
   * ```
   */
  registerPushToken(input: PushTokenInput): Promise<DetailResult>;
  /**
   * Removes one of the signed-in user's push tokens. 404 "Not found." when it is not theirs.
   *
   * @example
   * ```ts
   * await marquee.notifications.removePushToken({ token }); // { detail: 'Push token removed.' }
   * ```
   */
  removePushToken(input: PushTokenRemoval): Promise<DetailResult>;
  /**
   * Marks one notification as read. 404 "Not found." when it is not the user's.
   *
   * @example
   * ```ts
   * await marquee.notifications.markRead({ id: 10 }); // { detail: 'notification marked as read' }
   * ```
   */
  markRead(input: NotificationInput): Promise<DetailResult>;
  /**
   * Marks every notification as read.
   *
   * @example
   * ```ts
   * await marquee.notifications.markAllRead(); // { detail: '3 notifications marked as read' }
   * ```
   */
  markAllRead(): Promise<DetailResult>;
  /**
   * The signed-in user's preferences.
   *
   * @example
   * ```ts
   * const prefs = await marquee.notifications.getPreferences();
   * prefs.likes_notifications; // true
   * ```
   */
  getPreferences(): Promise<NotificationPreferences>;
  /**
   * Changes some of the eight flags and returns the result. Setting `all_notifications` to `false`
   * turns every other flag off.
   *
   * @example
   * ```ts
   * const prefs = await marquee.notifications.updatePreferences({ comments_notifications: false });
   * ```
   */
  updatePreferences(flags: Partial<PreferenceFlags>): Promise<NotificationPreferences>;
  /**
   * Calls `onNotification` with each new notification of the signed-in user as it is written
   * (Realtime postgres_changes; the table's policies apply, so muted kinds never arrive). Resolves
   * once the subscription is live, with a function that ends it.
   *
   * @example
   * ```ts
   * const stop = await marquee.notifications.subscribe((n) => console.log(n.message));
   * // …
   * await stop();
   * ```
   */
  subscribe(onNotification: (notification: Notification) => void): Promise<() => Promise<void>>;
}

/** The exact count of a `head: true` count query, or its error thrown. */
async function unwrapCount(query: PromiseLike<{ count: number | null; error: unknown; status: number }>): Promise<number> {
  const result = await query;
  if (result.error) throw await toMarqueeError(result.error, result.status > 0 ? { status: result.status } : {});
  return result.count ?? 0;
}

const NOTIFICATION_COLUMNS = 'id, message, created_at, is_read, page, page_item_id, notification_type';

/** The listed fields of a notification row (a Realtime change carries every column). */
function pickNotification(row: Tables<'notifications'>): Notification {
  const { id, message, created_at, is_read, page, page_item_id, notification_type } = row;
  return { id, message, created_at, is_read, page, page_item_id, notification_type };
}
const FLAG_NAMES = [
  'all_notifications',
  'email_notifications',
  'push_notifications',
  'follow_notifications',
  'likes_notifications',
  'comments_notifications',
  'new_events_notifications',
  'event_reminders_notifications',
] as const;
const PREFERENCE_COLUMNS =
  'user_id, all_notifications, email_notifications, push_notifications, follow_notifications, likes_notifications, comments_notifications, new_events_notifications, event_reminders_notifications';

const preferencesSchema = z.strictObject(
  Object.fromEntries(FLAG_NAMES.map((name) => [name, flag.optional()])) as Record<(typeof FLAG_NAMES)[number], z.ZodOptional<z.ZodBoolean>>,
);
const notificationSchema = body({ id });
const pushTokenRemovalSchema = body({ token: text() });

/**
 * Builds `marquee.notifications` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const notifications = createNotificationsApi(createClient<Database>(url, key));
 * await notifications.list();
 * ```
 */
export function createNotificationsApi(supabase: MarqueeSupabaseClient): NotificationsApi {
  const toPreferences = ({ user_id, ...flags }: { user_id: string } & PreferenceFlags): NotificationPreferences => ({ user: user_id, ...flags });

  return {
    async list(params = {}) {
      const { is_read, unread, type } = parseInput(notificationFilters, { is_read: params.is_read, unread: params.unread, type: params.type });
      const { page, page_size } = params;
      let query = supabase.from('notifications').select(NOTIFICATION_COLUMNS, { count: 'exact' });
      if (is_read !== undefined) query = query.eq('is_read', is_read);
      if (unread) query = query.eq('is_read', false);
      if (type) query = query.eq('notification_type', type);
      const ordered = query.order('created_at', { ascending: false }).order('id', { ascending: false });
      const [result, unreadCount] = await Promise.all([
        paginate(ordered, { ...(page !== undefined ? { page } : {}), ...(page_size !== undefined ? { page_size } : {}) }, { defaultPageSize: 20, maxPageSize: 100 }),
        unwrapCount(supabase.from('notifications').select('id', { count: 'exact', head: true }).eq('is_read', false)),
      ]);
      return { ...result, unread_count: unreadCount };
    },

    async remove(notification) {
      const input = parseInput(notificationSchema, notification);
      const row = await unwrap(supabase.from('notifications').delete().eq('id', input.id).select('id').maybeSingle());
      if (!row) throw notFound();
      return { detail: 'Notification deleted.' };
    },

    async registerPushToken(device) {
      const input = parseInput(pushTokenBody, device);
      return asDetail(await unwrap(supabase.rpc('register_push_token', { p_token: input.token, p_platform: input.platform })));
    },

    async removePushToken(removal) {
      const input = parseInput(pushTokenRemovalSchema, removal);
      const row = await unwrap(supabase.from('push_tokens').delete().eq('token', input.token).select('id').maybeSingle());
      if (!row) throw notFound();
      return { detail: 'Push token removed.' };
    },

    async markRead(notification) {
      const input = parseInput(notificationSchema, notification);
      const row = await unwrap(supabase.from('notifications').update({ is_read: true }).eq('id', input.id).select('id').maybeSingle());
      if (!row) throw notFound();
      return { detail: 'notification marked as read' };
    },

    async markAllRead() {
      const count = await unwrap(supabase.rpc('mark_all_notifications_read'));
      return { detail: `${count ?? 0} notifications marked as read` };
    },

    async getPreferences() {
      const user = await currentUser(supabase);
      const row = await unwrap(supabase.from('notification_preferences').select(PREFERENCE_COLUMNS).eq('user_id', user.id).maybeSingle());
      if (!row) throw notFound();
      return toPreferences(row);
    },

    async subscribe(onNotification) {
      requireWebSocket(supabase);
      const user = await currentUser(supabase);
      const channel = supabase.channel(`notifications:${user.id}`).on(
        'postgres_changes',
        { event: 'INSERT', schema: 'public', table: 'notifications', filter: `user_id=eq.${user.id}` },
        (change) => onNotification(pickNotification(change.new as Tables<'notifications'>)),
      );
      return subscribeChannel(supabase, channel);
    },

    async updatePreferences(flags) {
      const patch = parseInput(preferencesSchema, flags);
      const user = await currentUser(supabase);
      const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<PreferenceFlags>;
      const query = Object.keys(changes).length > 0
        ? supabase.from('notification_preferences').update(changes).eq('user_id', user.id).select(PREFERENCE_COLUMNS).maybeSingle()
        : supabase.from('notification_preferences').select(PREFERENCE_COLUMNS).eq('user_id', user.id).maybeSingle();
      const row = await unwrap(query);
      if (!row) throw notFound();
      return toPreferences(row);
    },
  };
}
