/**
 * `marquee.profiles`: the signed-in user's profile, other users' public profiles, profile edits,
 * avatars, deactivation and profile search.
 *
 * Profiles come from the `public_profiles` view (which hides blocked users and inactive accounts)
 * and are shaped as the reference API's profile: `{ id, user: {...}, followed_by_user, blocked_by_user }`.
 *
 * @module
 */
import { z } from 'zod';
import type { Database, Tables } from './database.types.ts';
import { fromFieldErrors, isMarqueeError, unwrap } from './errors.ts';
import { asDetail, currentUser, notFound, parseInput } from './internal.ts';
import { paginate, type Page, type PageParams } from './pagination.ts';
import type { DetailResult } from './results.ts';
import { body, editableText, maxLength, optionalPhone, PHONE_TAKEN, text, uuid, webLink } from './rules/index.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** An account's role: `visitor`, `creator` or `admin`. */
export type AppRole = Database['public']['Enums']['app_role'];
type PublicProfileRow = Tables<'public_profiles'>;

/** The storage bucket avatars live in (public; objects under `<user id>/`). */
export const AVATARS_BUCKET = 'avatars';

/** The public part of a user, as anyone who may see them sees it. */
export interface PublicUser {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  /** Public URL of the avatar, or `null`. */
  profile_pic: string | null;
  user_type: string;
  user_social_fb: string;
  user_social_twt: string;
  user_social_yt: string;
  /** `true` while the account is active. */
  user_status: boolean;
  /** `true` when the account is banned. */
  user_banned: boolean;
  /** The user's role, as a one-element list (`['visitor']`, `['creator']`, `['admin']`). */
  user_group: AppRole[];
}

/** The signed-in user, with the private fields only they see. */
export interface OwnUser extends PublicUser {
  email: string | null;
  user_phone: string;
  user_address: string;
}

/** A profile as the reference API returns it. */
export interface Profile<U extends PublicUser = PublicUser> {
  id: string;
  user: U;
  /** Whether the viewer follows this user (`false` for anonymous viewers and oneself). */
  followed_by_user: boolean;
  /** Whether the viewer blocked this user. */
  blocked_by_user: boolean;
}

/** The signed-in user's own profile. */
export type OwnProfile = Profile<OwnUser>;

/** The fields {@link ProfilesApi.update} may change. */
export interface ProfileUpdate {
  first_name?: string;
  last_name?: string;
  /** An object path in the `avatars` bucket under the user's folder, or `null` to remove the avatar. Prefer {@link ProfilesApi.uploadAvatar}. */
  profile_pic?: string | null;
  /** E.164 (`+14155550100`; spaces, dots, dashes and brackets dropped) or `''`; unique across accounts. Needs an `aal2` session once MFA is enabled. */
  user_phone?: string;
  /** Needs an `aal2` session once MFA is enabled. */
  user_address?: string;
  /** An http(s) URL or `''` (as are the other social links). */
  user_social_fb?: string;
  user_social_twt?: string;
  user_social_yt?: string;
}

/** The answer of {@link ProfilesApi.update}, as the reference API's update endpoint. */
export interface ProfileUpdateResult {
  userId: string;
  first_name: string;
  last_name: string;
  /** Public URL of the avatar, or `null`. */
  profile_pic: string | null;
  user_phone: string;
  user_address: string;
  user_social_fb: string;
  user_social_twt: string;
  user_social_yt: string;
}

/** Image types accepted as avatars, with the extension they are stored under. */
export const AVATAR_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' } as const;
/** An accepted avatar MIME type. */
export type AvatarContentType = keyof typeof AVATAR_TYPES;
/** Anything supabase-js storage uploads. */
export type AvatarFile = Blob | ArrayBuffer | ArrayBufferView | File;

/** What {@link ProfilesApi.get} takes. */
export interface ProfileLookup {
  /** The user's id. */
  id: string;
}

/** What {@link ProfilesApi.uploadAvatar} takes. */
export interface AvatarUpload {
  file: AvatarFile;
  contentType: AvatarContentType;
}

/** What {@link ProfilesApi.search} takes: the text, and the page. */
export interface ProfileSearch extends PageParams {
  query: string;
}

/** `marquee.profiles`. */
export interface ProfilesApi {
  /**
   * The signed-in user's profile, with email, phone and address. 401 when signed out. Once the user
   * has a verified MFA factor, phone and address read as `''` until the session is `aal2`.
   *
   * @example
   * ```ts
   * const me = await marquee.profiles.me();
   * me.user.username;     // 'john_doe'
   * me.user.user_group;   // ['visitor']
   * ```
   */
  me(): Promise<OwnProfile>;
  /**
   * Another user's public profile. 404 "Not found." when it does not exist or is not visible
   * (blocked either way, or the account is not active).
   *
   * @example
   * ```ts
   * const jane = await marquee.profiles.get({ id: janeId });
   * jane.followed_by_user; // true
   * ```
   */
  get(input: ProfileLookup): Promise<Profile>;
  /**
   * Updates the signed-in user's editable fields; any other field is a 400, as are links that are not
   * http(s) URLs and a phone number another account has (`{"user_phone": ["A user with this phone
   * number already exists."]}`). Returns the reference API's update answer.
   *
   * @example
   * ```ts
   * const updated = await marquee.profiles.update({ first_name: 'John', user_social_yt: 'https://youtube.com/@john' });
   * updated.userId;
   * ```
   */
  update(fields: ProfileUpdate): Promise<ProfileUpdateResult>;
  /**
   * Uploads an avatar to the `avatars` bucket (`<uid>/avatar-<timestamp>.<ext>`), sets it as the
   * profile picture and removes the previous one.
   *
   * @example
   * ```ts
   * const { profile_pic } = await marquee.profiles.uploadAvatar({ file, contentType: 'image/png' });
   * ```
   */
  uploadAvatar(input: AvatarUpload): Promise<ProfileUpdateResult>;
  /**
   * Deactivates the signed-in user's account (it can no longer sign in). 400 "User inactive or
   * deleted." when it is not active.
   *
   * @example
   * ```ts
   * await marquee.profiles.deactivate(); // { detail: 'Profile deactivated successfully' }
   * ```
   */
  deactivate(): Promise<DetailResult>;
  /**
   * Searches visible profiles by username and name.
   *
   * @example
   * ```ts
   * const page = await marquee.profiles.search({ query: 'jane', page: 1, page_size: 20 });
   * page.results[0]?.user.username;
   * ```
   */
  search(input: ProfileSearch): Promise<Page<Profile>>;
}

const NOT_OWN_AVATAR = 'Must be an object in your own avatars folder.';
const updateSchema = body({
  first_name: editableText(50).optional(),
  last_name: editableText(50).optional(),
  // An object path in the avatars bucket (never a URL of any scheme); the folder is checked below.
  profile_pic: text().max(300, maxLength(300)).refine((v) => !/^[a-z][a-z0-9+.-]*:/i.test(v) && !v.includes('..'), NOT_OWN_AVATAR).nullable().optional(),
  user_phone: optionalPhone.optional(),
  user_address: editableText(300).optional(),
  user_social_fb: webLink(200).optional(),
  user_social_twt: webLink(200).optional(),
  user_social_yt: webLink(200).optional(),
});
const lookupSchema = body({ id: uuid });
const searchSchema = body({ query: text().max(100, maxLength(100)), page: z.unknown().optional(), page_size: z.unknown().optional() });
const avatarSchema = body({
  contentType: z.enum(Object.keys(AVATAR_TYPES) as [AvatarContentType, ...AvatarContentType[]], {
    error: `Upload a valid image: ${Object.keys(AVATAR_TYPES).join(', ')}.`,
  }),
  file: z.custom<AvatarFile>((value) => value instanceof Blob || value instanceof ArrayBuffer || ArrayBuffer.isView(value), 'No file was submitted.'),
});

/** The database's answer to a phone number another account has (23505 from the uniqueness trigger), as 002's field error. */
function phoneTaken(error: unknown): boolean {
  return isMarqueeError(error) && error.code === '23505' && error.detail === PHONE_TAKEN;
}

const DETAIL_COLUMNS = 'user_phone, user_address';

/**
 * Builds `marquee.profiles` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const profiles = createProfilesApi(createClient<Database>(url, key));
 * await profiles.me();
 * ```
 */
export function createProfilesApi(supabase: MarqueeSupabaseClient): ProfilesApi {
  const avatarUrl = (path: string | null): string | null =>
    path ? supabase.storage.from(AVATARS_BUCKET).getPublicUrl(path).data.publicUrl : null;

  const publicUser = (row: PublicProfileRow): PublicUser => ({
    id: row.id,
    username: row.username ?? '',
    first_name: row.first_name,
    last_name: row.last_name,
    profile_pic: avatarUrl(row.profile_pic),
    user_type: row.user_type,
    user_social_fb: row.user_social_fb,
    user_social_twt: row.user_social_twt,
    user_social_yt: row.user_social_yt,
    user_status: row.status === 'active',
    user_banned: row.status === 'banned',
    user_group: [row.user_group ?? 'visitor'],
  });

  const toProfile = (row: PublicProfileRow): Profile => ({
    id: row.id,
    user: publicUser(row),
    followed_by_user: row.followed_by_user ?? false,
    blocked_by_user: row.blocked_by_user ?? false,
  });

  async function update(fields: ProfileUpdate): Promise<ProfileUpdateResult> {
    const input = parseInput(updateSchema, fields);
    const user = await currentUser(supabase);
    if (input.profile_pic && !input.profile_pic.startsWith(`${user.id}/`)) throw fromFieldErrors({ profile_pic: [NOT_OWN_AVATAR] });
    // One RPC, so the fields of both tables change together or not at all.
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    const result = await unwrap(supabase.rpc('update_own_profile', { p_changes: changes })).catch((error: unknown) => {
      throw phoneTaken(error) ? fromFieldErrors({ user_phone: [PHONE_TAKEN] }, error) : error;
    });
    const row = result as unknown as Omit<ProfileUpdateResult, 'profile_pic'> & { profile_pic: string | null };
    return { ...row, profile_pic: avatarUrl(row.profile_pic) };
  }

  return {
    async me() {
      const user = await currentUser(supabase);
      const [row, details] = await Promise.all([
        unwrap(supabase.from('public_profiles').select('*').eq('id', user.id).maybeSingle()),
        unwrap(supabase.from('personal_details').select(DETAIL_COLUMNS).eq('user_id', user.id).maybeSingle()),
      ]);
      if (!row) throw notFound();
      const profile = toProfile(row);
      return {
        ...profile,
        user: {
          ...profile.user,
          email: user.email,
          user_phone: details?.user_phone ?? '',
          user_address: details?.user_address ?? '',
        },
      };
    },

    async get(input) {
      const { id } = parseInput(lookupSchema, input);
      const row = await unwrap(supabase.from('public_profiles').select('*').eq('id', id).maybeSingle());
      if (!row) throw notFound();
      return toProfile(row);
    },

    update,

    async uploadAvatar(upload) {
      const input = parseInput(avatarSchema, upload);
      const user = await currentUser(supabase);
      const previous = await unwrap(supabase.from('profiles').select('profile_pic').eq('id', user.id).maybeSingle());
      const path = `${user.id}/avatar-${Date.now()}.${AVATAR_TYPES[input.contentType]}`;
      const body = ArrayBuffer.isView(input.file) && !(input.file instanceof Uint8Array)
        ? new Uint8Array(input.file.buffer, input.file.byteOffset, input.file.byteLength)
        : input.file;
      await unwrap(supabase.storage.from(AVATARS_BUCKET).upload(path, body as Blob, { contentType: input.contentType, upsert: false }));
      let result: ProfileUpdateResult;
      try {
        result = await update({ profile_pic: path });
      } catch (error) {
        await supabase.storage.from(AVATARS_BUCKET).remove([path]).catch(() => undefined);
        throw error;
      }
      const old = previous?.profile_pic;
      if (old && old !== path && old.startsWith(`${user.id}/`)) {
        // Best effort: a leftover object is harmless, a failed profile update is not.
        await supabase.storage.from(AVATARS_BUCKET).remove([old]).catch(() => undefined);
      }
      return result;
    },

    async deactivate() {
      const data = await unwrap(supabase.rpc('deactivate_account'));
      return asDetail(data);
    },

    async search(input) {
      const { query } = parseInput(searchSchema, input);
      const params: PageParams = {};
      if (input.page !== undefined) params.page = input.page;
      if (input.page_size !== undefined) params.page_size = input.page_size;
      const page = await paginate(supabase.rpc('search_profiles', { p_query: query }, { count: 'exact' }), params);
      return { ...page, results: page.results.map(toProfile) };
    },
  };
}
