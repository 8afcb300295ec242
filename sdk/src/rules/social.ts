/**
 * Input rules for the social graph and notifications: a target user, a push token, and the
 * notification list's filters.
 */
import { z } from 'zod';
import { body, flag, uuid, text } from './fields.ts';
import { invalidChoice, maxLength } from './messages.ts';

/** Push platforms (003): where a token delivers. */
export const PUSH_PLATFORMS = ['ios', 'android', 'web'] as const;

/** Longest push token accepted (APNs, FCM and Web Push tokens are far shorter). */
export const PUSH_TOKEN_MAX = 4096;

/** Notification kinds a list may filter on. */
export const NOTIFICATION_TYPES = [
  'general',
  'follow',
  'like',
  'comment',
  'new_event',
  'event_reminder',
  'mention',
  'friend_request',
  'friend_accepted',
] as const;

/** `{ user_id }`: the other user of a follow, block or friend action. */
export const userTargetBody = body({ user_id: uuid });

/** `{ token, platform }`: a device's push token. */
export const pushTokenBody = body({
  token: text()
    .max(PUSH_TOKEN_MAX, { error: maxLength(PUSH_TOKEN_MAX), abort: true })
    .regex(/^\S+$/, 'Enter a valid push token.'),
  platform: z.enum(PUSH_PLATFORMS, { error: (issue) => invalidChoice(issue.input) }),
});

/** The notification list's filters. */
export const notificationFilters = z.object({
  unread: flag.optional(),
  is_read: flag.optional(),
  type: z.enum(NOTIFICATION_TYPES, { error: (issue) => invalidChoice(issue.input) }).optional(),
});
