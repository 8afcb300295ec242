/**
 * The Marquee client: a typed `SupabaseClient<Database>` plus one namespace per product area.
 *
 * @module
 */
import { createClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import { createAdminApi, type AdminApi } from './admin.ts';
import { createModerationApi, type ModerationApi } from './moderation.ts';
import { createAuthApi, type AuthApi } from './auth.ts';
import { createCommentsApi, type CommentsApi } from './comments.ts';
import type { Database } from './database.types.ts';
import { createForumApi, type ForumApi } from './forum.ts';
import { createNotificationsApi, type NotificationsApi } from './notifications.ts';
import { createParentalApi, type ParentalApi } from './parental.ts';
import { createPostInteractionsApi, type PostInteractionsApi } from './post-interactions.ts';
import { createPostListsApi, type PostListsApi } from './post-lists.ts';
import { createSearchApi, type SearchApi } from './search.ts';
import { createPostTagsApi, type PostTagsApi } from './post-tags.ts';
import { createPostsApi, type PostsApi } from './posts.ts';
import { createProfilesApi, type ProfilesApi } from './profiles.ts';
import { createSocialApi, type SocialApi } from './social.ts';
import { createReelsApi, type ReelsApi } from './reels.ts';
import { createCreatorsApi, type CreatorsApi } from './creators.ts';
import { createVideosApi, type VideosApi } from './videos.ts';
import { createVideoUploadsApi, type VideoUploadsApi } from './video-uploads.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import { realtimeTransport, type WebSocketConstructor } from './websocket.ts';

export type { MarqueeSupabaseClient };

/**
 * The product namespaces (`auth`, `profiles`, `posts`, …). Each module adds itself in two lines:
 * its type here and its factory in the `namespaces` registry below:
 *
 * ```ts
 * // namespaces type:      profiles: ProfilesApi;
 * // namespaces registry:  profiles: createProfilesApi,
 * ```
 */
export interface MarqueeNamespaces {
  /** Registration, sign-in, sessions, passwords, phone signup, MFA, account deletion. */
  auth: AuthApi;
  /** Own and public profiles, profile edits, avatars, deactivation, search. */
  profiles: ProfilesApi;
  /** Follows, blocks, followers and following lists, friends. */
  social: SocialApi;
  /** Notifications and notification preferences. */
  notifications: NotificationsApi;
  /** Posts of every type: create, edit, delete, banners and media files; the lists and detail; likes, hides, reports, views; tags and mentions. */
  posts: PostsApi & PostListsApi & PostInteractionsApi & PostTagsApi;
  /** Parental controls: parent-email OTP linking, children, activity summaries. */
  parental: ParentalApi;
  /** Administration (admins only): users, suspensions and bans, the audit. */
  admin: AdminApi;
  /** A post's comments: list, create, delete your own. */
  comments: CommentsApi;
  /** The forum (001): a feed of 10 posts at a time, posts with pictures, replies, the like toggle. */
  forum: ForumApi;
  /** The reels list (public reels and YouTube shorts, newest first). */
  reels: ReelsApi;
  /** The creator programme: apply, your application, and (admins) review and list applications. */
  creators: CreatorsApi;
  /** Moderation: the report types; for admins the queue of reported posts, resolve and dismiss. */
  moderation: ModerationApi;
  /** Videos (003): list, get, create, update, remove, like, stream, download, the creator dashboard; creators' resumable uploads, their status and its changes. */
  videos: VideosApi & VideoUploadsApi;
  /** Search (posts, reels, videos with facets) and the trending list. */
  search: SearchApi;
}

/** Builds one namespace from the shared typed client. */
export type NamespaceFactory<T> = (supabase: MarqueeSupabaseClient) => T;

/** The registry: namespace name → factory. Adding a namespace is one line here. */
const namespaces: { [K in keyof MarqueeNamespaces]: NamespaceFactory<MarqueeNamespaces[K]> } = {
  auth: createAuthApi,
  profiles: createProfilesApi,
  social: createSocialApi,
  notifications: createNotificationsApi,
  posts: (supabase) => ({
    ...createPostsApi(supabase),
    ...createPostListsApi(supabase),
    ...createPostInteractionsApi(supabase),
    ...createPostTagsApi(supabase),
  }),
  parental: createParentalApi,
  admin: createAdminApi,
  comments: createCommentsApi,
  forum: createForumApi,
  reels: createReelsApi,
  creators: createCreatorsApi,
  moderation: createModerationApi,
  videos: (supabase) => ({ ...createVideosApi(supabase), ...createVideoUploadsApi(supabase) }),
  search: createSearchApi,
};

/** The object {@link createMarquee} returns. */
export type Marquee = MarqueeNamespaces & {
  /** The underlying typed supabase-js client, for anything the namespaces do not cover. */
  readonly supabase: MarqueeSupabaseClient;
};

/** Options for {@link createMarquee}: a project URL and API key, or an existing client. */
export type CreateMarqueeOptions =
  | {
      /** Project URL, e.g. `http://127.0.0.1:54321`. */
      url: string;
      /** The anon / publishable key (or service_role / secret key on a server). */
      key: string;
      /** Passed to supabase-js `createClient`. */
      options?: SupabaseClientOptions<'public'>;
      /**
       * A WebSocket class for Realtime where the runtime has none: on Node 20, `ws`'s default export.
       * Without one there, REST, Auth and Storage still work and Realtime throws a `MarqueeError`
       * (`websocket_unavailable`) that says to pass it.
       */
      webSocket?: WebSocketConstructor;
    }
  | {
      /** An existing client (e.g. one created by a framework helper). */
      client: MarqueeSupabaseClient;
    };

/**
 * Creates a Marquee client.
 *
 * @example
 * ```ts
 * import { createMarquee } from '@marquee/sdk';
 * import WebSocket from 'ws';
 *
 * const marquee = createMarquee({ url: 'http://127.0.0.1:54321', key: process.env.ANON_KEY! });
 * const { data } = await marquee.supabase.auth.getSession();
 *
 * // Node 20 has no global WebSocket: pass ws for Realtime (Node 22+, Deno, Bun and browsers need none)
 * const onNode20 = createMarquee({ url, key, webSocket: WebSocket });
 *
 * // or wrap a client you already have
 * const wrapped = createMarquee({ client: supabase });
 * ```
 */
export function createMarquee(options: CreateMarqueeOptions): Marquee {
  const supabase: MarqueeSupabaseClient = 'client' in options ? options.client : createSupabaseClient(options);
  const marquee = { supabase } as { supabase: MarqueeSupabaseClient } & Record<string, unknown>;
  for (const [name, factory] of Object.entries(namespaces) as [string, NamespaceFactory<unknown>][]) {
    marquee[name] = factory(supabase);
  }
  return Object.freeze(marquee) as unknown as Marquee;
}

function createSupabaseClient({ url, key, options = {}, webSocket }: Extract<CreateMarqueeOptions, { url: string }>): MarqueeSupabaseClient {
  const transport = realtimeTransport(webSocket ?? (options.realtime?.transport as WebSocketConstructor | undefined));
  const realtime = transport ? { ...options.realtime, transport: transport as RealtimeTransport } : options.realtime;
  return createClient<Database>(url, key, { ...options, ...(realtime ? { realtime } : {}) });
}

type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;
