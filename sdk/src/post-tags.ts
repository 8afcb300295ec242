/**
 * Tags and mentions on posts. `#tags` and `@usernames` in a post's title and description are linked
 * by the database when the post is written or its text edited; this module sets a post's explicit
 * lists, reads a post's links, and lists tags in use. Built over a typed client with
 * {@link createPostTagsApi}.
 *
 * @module
 */
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import { unwrap } from './errors.ts';
import { parseInput } from './internal.ts';
import type { PostRef } from './post-interactions.ts';
import { listTagsParams, postRefBody, setPostMentionsBody, setPostTagsBody } from './rules/index.ts';

/** Where a link came from: parsed from the post's text, or sent as an explicit list. */
export type LinkSource = 'text' | 'explicit';

/** A tag on a post. */
export interface PostTag {
  name: string;
  source: LinkSource;
}

/** A user mentioned in a post (`username` is null when their profile is not visible to the reader). */
export interface PostMention {
  user_id: string;
  username: string | null;
  source: LinkSource;
  created_at: string;
}

/** A tag in use, with the number of public posts the caller can read that carry it. */
export interface TagUse {
  id: number;
  name: string;
  use_count: number;
}

/** A post's explicit tags (`#` optional, case-insensitive). */
export interface SetTagsInput {
  post_id: number;
  tags: string[];
}

/** A post's explicit mentions, as user ids. */
export interface SetMentionsInput {
  post_id: number;
  user_ids: string[];
}

/** Filters for {@link PostTagsApi.listTags}. */
export interface ListTagsParams {
  /** Only tags starting with this (case-insensitive, `#` optional). */
  search?: string;
  /** 1–100, 20 by default. */
  limit?: number;
}

/** Tags and mentions of posts. */
export interface PostTagsApi {
  /**
   * Replaces the explicit tags of the signed-in user's own post and returns all its tags (text ones
   * included), lower-cased. 400 for an invalid tag or more than 30; 404 "Post not found." / 403
   * for a post that is not the caller's.
   *
   * @example
   * ```ts
   * import { createPostTagsApi } from '@marquee/sdk';
   * const tags = createPostTagsApi(supabase);
   * await tags.setTags({ post_id: 42, tags: ['#Dance', 'summer'] }); // ['dance', 'summer']
   * ```
   */
  setTags(input: SetTagsInput): Promise<string[]>;
  /**
   * Replaces the explicit mentions of the signed-in user's own post and returns every mentioned
   * user id. A new mention notifies that user. Yourself, an unknown or inactive user, or one in a
   * block with you is refused (400) and nothing changes.
   *
   * @example
   * ```ts
   * import { createPostTagsApi } from '@marquee/sdk';
   * const mentioned = await createPostTagsApi(supabase).setMentions({ post_id: 42, user_ids: [janeId] });
   * ```
   */
  setMentions(input: SetMentionsInput): Promise<string[]>;
  /**
   * Tags in use on public posts the caller can read, most used first, optionally by prefix.
   *
   * @example
   * ```ts
   * import { createPostTagsApi } from '@marquee/sdk';
   * const popular = await createPostTagsApi(supabase).listTags({ search: 'da', limit: 10 });
   * popular[0]?.use_count;
   * ```
   */
  listTags(params?: ListTagsParams): Promise<TagUse[]>;
  /**
   * The tags of a post the caller can read, by name.
   *
   * @example
   * ```ts
   * import { createPostTagsApi } from '@marquee/sdk';
   * const onPost = await createPostTagsApi(supabase).tagsOf({ post_id: 42 }); // [{ name: 'dance', source: 'text' }]
   * ```
   */
  tagsOf(input: PostRef): Promise<PostTag[]>;
  /**
   * The users a post the caller can read mentions (never users in a block with the caller), in
   * the order they were mentioned.
   *
   * @example
   * ```ts
   * import { createPostTagsApi } from '@marquee/sdk';
   * const people = await createPostTagsApi(supabase).mentionsOf({ post_id: 42 });
   * people.map((m) => m.username);
   * ```
   */
  mentionsOf(input: PostRef): Promise<PostMention[]>;
}

/**
 * Builds the tags and mentions API over a typed supabase-js client.
 *
 * @example
 * ```ts
 * import { createPostTagsApi } from '@marquee/sdk';
 * const tags = createPostTagsApi(marquee.supabase);
 * await tags.listTags();
 * ```
 */
export function createPostTagsApi(supabase: MarqueeSupabaseClient): PostTagsApi {
  return {
    async setTags(input) {
      const { post_id, tags } = parseInput(setPostTagsBody, input);
      return (await unwrap(supabase.rpc('set_post_tags', { p_post_id: post_id, p_tags: tags }))) ?? [];
    },

    async setMentions(input) {
      const { post_id, user_ids } = parseInput(setPostMentionsBody, input);
      return (await unwrap(supabase.rpc('set_post_mentions', { p_post_id: post_id, p_user_ids: user_ids }))) ?? [];
    },

    async listTags(params = {}) {
      const { search, limit } = parseInput(listTagsParams, params);
      const rows = await unwrap(
        supabase.rpc('list_tags', { ...(search ? { p_search: search } : {}), ...(limit !== undefined ? { p_limit: limit } : {}) }),
      );
      return (rows ?? []).map((row) => ({ id: row.id, name: row.name, use_count: Number(row.use_count) }));
    },

    async tagsOf(input) {
      const { post_id } = parseInput(postRefBody, input);
      const rows = await unwrap(supabase.from('post_tags').select('source, tags(name)').eq('post_id', post_id));
      return rows
        .map((row) => ({ name: String(row.tags?.name ?? ''), source: row.source as LinkSource }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    async mentionsOf(input) {
      const { post_id } = parseInput(postRefBody, input);
      const rows = await unwrap(
        supabase.from('post_mentions').select('user_id, source, created_at').eq('post_id', post_id).order('created_at').order('user_id'),
      );
      if (rows.length === 0) return [];
      const profiles = await unwrap(supabase.from('public_profiles').select('id, username').in('id', rows.map((row) => row.user_id)));
      const names = new Map(profiles.map((profile) => [profile.id, profile.username]));
      return rows.map((row) => ({
        user_id: row.user_id,
        username: names.get(row.user_id) ?? null,
        source: row.source as LinkSource,
        created_at: row.created_at,
      }));
    },
  };
}
