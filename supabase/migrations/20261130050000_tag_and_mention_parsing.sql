-- Reading `#tags` and `@mentions` out of a post's text, and the per-post caps. Pure functions: what
-- the text says, not who exists (the linking migration resolves names against profiles and blocks).
--
-- A token starts at `#` or `@` that does not follow a word character, and runs over word characters:
-- ASCII letters, digits and `_` (plus `.` for usernames), and letters of other scripts (Latin
-- accents, Greek, Cyrillic, Hebrew, Arabic, Indic, CJK, Hangul). Other scripts never form a valid
-- tag or username, so `#café` is not a tag (it is not cut down to `#caf`), while punctuation, spaces
-- and emoji end a token (`#dance!`, `#dance…`, `#dance🎉` are `dance`). The class is spelt out rather
-- than `[[:alnum:]]`, whose meaning for non-ASCII text changes with the database's locale.
-- Tags: 1–50 of [A-Za-z0-9_], lower-cased; longer or otherwise invalid tokens are not linked.
-- Mentions: `@` must not follow a word character, `.` or `@` (so `jane@example.com` is an e-mail
-- address, not a mention) and the name must not run into another `@`; trailing dots are sentence
-- punctuation (`@jane.` is `jane`); the name must look like a username (3–50 of [A-Za-z0-9_.]).
-- Both lists are distinct case-insensitively, in order of first appearance.
-- Objects: functions private.max_tags_per_post, private.max_mentions_per_post, private.parse_hashtags,
-- private.parse_mentions.

create function private.max_tags_per_post()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$ select 30 $$;
comment on function private.max_tags_per_post() is 'At most this many tags on one post, text and explicit together.';

create function private.max_mentions_per_post()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$ select 20 $$;
comment on function private.max_mentions_per_post() is 'At most this many mentioned users on one post, text and explicit together.';

create function private.parse_hashtags(p_text text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(array_agg(found.tag order by found.first_seen), '{}')
  from (
    select lower(m.token[1]) as tag, min(m.ord) as first_seen
    from regexp_matches(
      coalesce(p_text, ''),
      '(?<![A-Za-z0-9_\u00C0-\u1FFF\u2C00-\u2DFF\u3040-\u9FFF\uAC00-\uD7FF\uF900-\uFAFF\uFF21-\uFF3A\uFF41-\uFF5A#&])#([A-Za-z0-9_\u00C0-\u1FFF\u2C00-\u2DFF\u3040-\u9FFF\uAC00-\uD7FF\uF900-\uFAFF\uFF21-\uFF3A\uFF41-\uFF5A]+)',
      'g'
    ) with ordinality as m(token, ord)
    where m.token[1] ~ '^[A-Za-z0-9_]{1,50}$'
    group by lower(m.token[1])
  ) found;
$$;
comment on function private.parse_hashtags(text) is 'The valid `#tags` of a text, lower-cased, distinct, in order of first appearance.';

create function private.parse_mentions(p_text text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(array_agg(found.name order by found.first_seen), '{}')
  from (
    select named.name, min(named.ord) as first_seen
    from (
      select lower(regexp_replace(m.token[1], '\.+$', '')) as name, m.ord
      from regexp_matches(
        coalesce(p_text, ''),
        '(?<![A-Za-z0-9_.@\u00C0-\u1FFF\u2C00-\u2DFF\u3040-\u9FFF\uAC00-\uD7FF\uF900-\uFAFF\uFF21-\uFF3A\uFF41-\uFF5A])@([A-Za-z0-9_.\u00C0-\u1FFF\u2C00-\u2DFF\u3040-\u9FFF\uAC00-\uD7FF\uF900-\uFAFF\uFF21-\uFF3A\uFF41-\uFF5A]+)(?![A-Za-z0-9_.@\u00C0-\u1FFF\u2C00-\u2DFF\u3040-\u9FFF\uAC00-\uD7FF\uF900-\uFAFF\uFF21-\uFF3A\uFF41-\uFF5A])',
        'g'
      ) with ordinality as m(token, ord)
    ) named
    where named.name ~ '^[a-z0-9_.]{3,50}$'
    group by named.name
  ) found;
$$;
comment on function private.parse_mentions(text) is 'The `@usernames` of a text (not e-mail addresses), lower-cased, distinct, in order of first appearance.';

-- Only the server's linking functions read texts this way.
revoke execute on function private.parse_hashtags(text) from public, anon, authenticated;
revoke execute on function private.parse_mentions(text) from public, anon, authenticated;
-- The caps are public knowledge; the RPCs (security invoker) read them as the caller.
grant execute on function private.max_tags_per_post() to authenticated, service_role;
grant execute on function private.max_mentions_per_post() to authenticated, service_role;
