/**
 * `@marquee/sdk`: a typed client for Marquee over `@supabase/supabase-js`.
 *
 * @example
 * ```ts
 * import { createMarquee, isMarqueeError } from '@marquee/sdk';
 * const marquee = createMarquee({ url, key });
 * ```
 *
 * @module
 */
export { createMarquee } from './client.ts';
export type { CreateMarqueeOptions, Marquee, MarqueeNamespaces, MarqueeSupabaseClient, NamespaceFactory } from './client.ts';
export { MarqueeError, fromZodIssues, isMarqueeError, toMarqueeError, unwrap } from './errors.ts';
export type { ErrorContext, FieldErrors, MarqueeErrorInit, ZodIssueLike } from './errors.ts';
export { pageParams, paginate, toPage } from './pagination.ts';
export type { Page, PageParams, PaginateOptions, RangeResult, RangeableQuery } from './pagination.ts';
export { createAuthApi } from './auth.ts';
export type {
  AssuranceLevel,
  AuthApi,
  ChangePasswordInput,
  ConfirmPasswordResetInput,
  DetailResult,
  Factors,
  MfaVerification,
  PhoneSignupApi,
  PhoneVerifyInput,
  RegisterInput,
  RegisterResult,
  SendCodeResult,
  SignInInput,
  TotpEnrollment,
} from './auth.ts';
export { AVATARS_BUCKET, AVATAR_TYPES, createProfilesApi } from './profiles.ts';
export type {
  AvatarContentType,
  AvatarFile,
  OwnProfile,
  OwnUser,
  Profile,
  ProfileUpdate,
  ProfileUpdateResult,
  ProfilesApi,
  PublicUser,
} from './profiles.ts';
export { createNotificationsApi } from './notifications.ts';
export type { Notification, NotificationListParams, NotificationPreferences, NotificationsApi, PreferenceFlags } from './notifications.ts';
export { createParentalApi } from './parental.ts';
export type { ChildLink, ParentLink, ParentalApi } from './parental.ts';
export { createAdminApi } from './admin.ts';
export type { AccountAction, ActionsParams, AdminApi, AdminUser, ListUsersParams } from './admin.ts';
export type { CompositeTypes, Database, Enums, Json, Tables, TablesInsert, TablesUpdate } from './database.types.ts';
