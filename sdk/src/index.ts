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
export type { WebSocketConstructor } from './websocket.ts';
export { MarqueeError, fromFieldErrors, fromZodIssues, isMarqueeError, toMarqueeError, unwrap } from './errors.ts';
export type { ErrorContext, FieldErrors, MarqueeErrorInit, SuccessData, ZodIssueLike } from './errors.ts';
export type { DetailResult } from './results.ts';
/** The input rules (schemas, password policy, messages) the SDK and the edge functions share: use them in forms. */
export * as rules from './rules/index.ts';
export { pageParams, paginate, toPage } from './pagination.ts';
export type { Page, PageParams, PaginateOptions, RangeResult, RangeableQuery } from './pagination.ts';
export { createAuthApi } from './auth.ts';
export type {
  AssuranceLevel,
  AuthApi,
  ChangePasswordInput,
  ConfirmPasswordResetInput,
  EnrollTotpInput,
  FactorInput,
  Factors,
  MfaVerification,
  PasswordResetRequestInput,
  PhoneSignupApi,
  PhoneVerifyInput,
  RegisterInput,
  RegisterResult,
  SendCodeInput,
  SendCodeResult,
  SignInInput,
  TotpEnrollment,
  VerifyFactorInput,
} from './auth.ts';
export { AVATARS_BUCKET, AVATAR_TYPES, createProfilesApi } from './profiles.ts';
export type {
  AppRole,
  AvatarContentType,
  AvatarFile,
  AvatarUpload,
  OwnProfile,
  OwnUser,
  Profile,
  ProfileLookup,
  ProfileSearch,
  ProfileUpdate,
  ProfileUpdateResult,
  ProfilesApi,
  PublicUser,
} from './profiles.ts';
export { createNotificationsApi } from './notifications.ts';
export type {
  Notification,
  NotificationInput,
  NotificationListParams,
  NotificationPage,
  NotificationPreferences,
  NotificationType,
  NotificationsApi,
  PreferenceFlags,
  PushPlatform,
  PushTokenInput,
  PushTokenRemoval,
} from './notifications.ts';
export { createSocialApi } from './social.ts';
export type {
  FollowEntry,
  FollowListParams,
  Friend,
  FriendRequestListParams,
  PendingFriendRequest,
  SocialApi,
  SocialUser,
  UserTarget,
} from './social.ts';
export { createPostsApi } from './posts.ts';
export type { CreatePostInput, FileUpload, Post, PostFile, PostFileInput, PostFileUrls, PostMedia, PostMediaWithUrl, PostIdInput, PostsApi, UpdatePostInput } from './posts.ts';
export { createParentalApi } from './parental.ts';
export type { ChildActivitySummary, ChildInput, ChildLink, ParentEmailInput, ParentLink, ParentOtpInput, ParentalApi } from './parental.ts';
export { createAdminApi } from './admin.ts';
export { createModerationApi } from './moderation.ts';
export type {
  DismissInput,
  DismissResult,
  ModerationActionSummary,
  ModerationApi,
  ModerationQueueItem,
  ModerationQueueParams,
  ReportType,
  ResolveInput,
  ResolveResult,
} from './moderation.ts';
export type { AccountAction, AccountActionInput, AccountStatus, ActionsParams, AdminApi, AdminUser, ListUsersParams } from './admin.ts';
export { createCommentsApi } from './comments.ts';
export type { Comment, CommentInput, CommentListParams, CommentRef, CommentsApi } from './comments.ts';
export { createPostInteractionsApi } from './post-interactions.ts';
export type { Hide, Like, Liker, LikersParams, PostInteractionsApi, PostRef, Report, ReportInput, ViewResult } from './post-interactions.ts';
export { createPostTagsApi } from './post-tags.ts';
export type { LinkSource, ListTagsParams, PostMention, PostTag, PostTagsApi, SetMentionsInput, SetTagsInput, TagUse } from './post-tags.ts';
export { createForumApi } from './forum.ts';
export type {
  ForumApi,
  ForumFeedParams,
  ForumPictureFile,
  ForumPictureRef,
  ForumPictureUpload,
  ForumPost,
  ForumPostInput,
  ForumPostRef,
  ForumReply,
  ForumReplyInput,
} from './forum.ts';
export { createPostListsApi } from './post-lists.ts';
export type { CommentPreview, PostAuthor, PostItem, PostListParams, PostListsApi } from './post-lists.ts';
export { createSearchApi, VIDEO_QUALITIES, VIDEO_SEARCH_ORDERINGS } from './search.ts';
export type { FacetCount, SearchApi, SearchPage, SearchParams, SearchResult, TrendingParams, VideoResult, VideoSearchPage, VideoSearchParams } from './search.ts';
export { createReelsApi } from './reels.ts';
export type { ReelItem, ReelsApi } from './reels.ts';
export { createCreatorsApi } from './creators.ts';
export type { CreatorApplication, CreatorApplicationListParams, CreatorReviewInput, CreatorsApi, ReviewedCreatorApplication } from './creators.ts';
export { createVideosApi, VIDEO_ORDERINGS } from './videos.ts';
export type {
  CreatorDashboard,
  DashboardVideo,
  NewVideo,
  Video,
  VideoChanges,
  VideoLikeResult,
  VideoListParams,
  VideoStreamInfo,
  VideosApi,
  VideoVisibility,
} from './videos.ts';
export { createVideoUploadsApi, VIDEO_CHUNK_BYTES } from './video-uploads.ts';
export type { UploadVideoInput, VideoFile, VideoUploadsApi, VideoUploadState, VideoUploadStatus } from './video-uploads.ts';
export type { CompositeTypes, Database, Enums, Json, Tables, TablesInsert, TablesUpdate } from './database.types.ts';
