/**
 * The search function's query-string parameters: each read once, numbers checked, and the RPC's
 * arguments built. Text is passed on as is — the SQL validates the query (blank, over 200
 * characters, no word) and never lets a character of it act as a pattern.
 */
import type { FieldErrors } from '../_shared/errors.ts';

export type Args = Record<string, string | number | null>;

function first(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  return value === null ? null : value;
}

/** An integer parameter, or null when absent; a field error when it is not one. */
function integer(params: URLSearchParams, name: string, errors: FieldErrors): number | null {
  const raw = first(params, name);
  if (raw === null || raw.trim() === '') return null;
  if (!/^-?\d{1,9}$/.test(raw.trim())) {
    errors[name] = ['A valid integer is required.'];
    return null;
  }
  return Number(raw.trim());
}

/** A number parameter, or null when absent; a field error when it is not one. */
function decimal(params: URLSearchParams, name: string, errors: FieldErrors): number | null {
  const raw = first(params, name);
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw.trim());
  if (!/^-?\d{1,9}(\.\d{1,3})?$/.test(raw.trim()) || !Number.isFinite(value)) {
    errors[name] = ['A valid number is required.'];
    return null;
  }
  return value;
}

function paging(params: URLSearchParams, errors: FieldErrors): Args {
  return { p_page: integer(params, 'page', errors) ?? 1, p_page_size: integer(params, 'page_size', errors) ?? 20 };
}

/** `?query=&page=&page_size=` → search_posts. */
export function postSearchArgs(params: URLSearchParams): { args: Args; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const args = { p_query: first(params, 'query') ?? '', ...paging(params, errors) };
  return { args, errors };
}

const POST_TYPES = ['post', 'reel', 'video', 'youtube_video', 'youtube_reel'];

/** `?page=&page_size=&post_type=` → trending_posts. */
export function trendingArgs(params: URLSearchParams): { args: Args; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const postType = first(params, 'post_type');
  if (postType !== null && postType !== '' && !POST_TYPES.includes(postType)) {
    errors.post_type = [`"${postType.slice(0, 20)}" is not a valid choice.`];
  }
  const args = { ...paging(params, errors), p_post_type: postType || null };
  return { args, errors };
}

/** `?q=&category=&duration_min=&duration_max=&quality=&ordering=&page=&page_size=` → search_videos. */
export function videoSearchArgs(params: URLSearchParams): { args: Args; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const args = {
    p_q: first(params, 'q') ?? '',
    p_category: first(params, 'category'),
    p_duration_min: decimal(params, 'duration_min', errors),
    p_duration_max: decimal(params, 'duration_max', errors),
    p_quality: first(params, 'quality'),
    p_ordering: first(params, 'ordering') || 'relevance',
    ...paging(params, errors),
  };
  return { args, errors };
}
