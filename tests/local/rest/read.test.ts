import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, reloadSchema, USER_A, USER_B, type RestFixture } from './fixture.ts';

const DDL = `
drop table if exists test_fixtures.rest_rd_post_tags, test_fixtures.rest_rd_tags, test_fixtures.rest_rd_profiles, test_fixtures.rest_rd_posts, test_fixtures.rest_rd_authors cascade;
create table test_fixtures.rest_rd_authors (id bigint primary key, name text not null, owner uuid);
create table test_fixtures.rest_rd_profiles (author_id bigint primary key references test_fixtures.rest_rd_authors (id), website text);
create table test_fixtures.rest_rd_posts (
  id bigint primary key,
  author_id bigint not null references test_fixtures.rest_rd_authors (id),
  editor_id bigint references test_fixtures.rest_rd_authors (id),
  title text not null,
  published boolean not null default false,
  score int,
  tags text[] not null default '{}',
  meta jsonb,
  owner uuid not null
);
create index on test_fixtures.rest_rd_posts (author_id);
create index on test_fixtures.rest_rd_posts (editor_id);
create table test_fixtures.rest_rd_tags (id int primary key, name text not null);
create table test_fixtures.rest_rd_post_tags (
  post_id bigint references test_fixtures.rest_rd_posts (id),
  tag_id int references test_fixtures.rest_rd_tags (id),
  primary key (post_id, tag_id)
);
insert into test_fixtures.rest_rd_authors values (1, 'Ann', '${USER_A}'), (2, 'Bob', '${USER_B}'), (3, 'Cy', null);
insert into test_fixtures.rest_rd_profiles values (1, 'ann.dev');
insert into test_fixtures.rest_rd_posts values
  (1, 1, 2, 'Hello world', true, 10, '{a,b}', '{"lang":"en","stats":{"views":7}}', '${USER_A}'),
  (2, 1, null, 'Second post', false, 20, '{}', null, '${USER_A}'),
  (3, 2, 1, 'Bob writes', true, null, '{b,c}', '{"lang":"fr"}', '${USER_B}'),
  (4, 2, null, 'Draft by Bob', false, 5, '{}', null, '${USER_B}');
insert into test_fixtures.rest_rd_tags values (1, 'news'), (2, 'tech');
insert into test_fixtures.rest_rd_post_tags values (1, 1), (1, 2), (3, 2);
alter table test_fixtures.rest_rd_authors enable row level security;
alter table test_fixtures.rest_rd_profiles enable row level security;
alter table test_fixtures.rest_rd_posts enable row level security;
alter table test_fixtures.rest_rd_tags enable row level security;
alter table test_fixtures.rest_rd_post_tags enable row level security;
create policy "anyone can read authors" on test_fixtures.rest_rd_authors for select to anon, authenticated using (true);
create policy "anyone can read profiles" on test_fixtures.rest_rd_profiles for select to anon, authenticated using (true);
create policy "anyone can read tags" on test_fixtures.rest_rd_tags for select to anon, authenticated using (true);
create policy "anyone can read post tags" on test_fixtures.rest_rd_post_tags for select to anon, authenticated using (true);
create policy "anon can read published posts" on test_fixtures.rest_rd_posts for select to anon using (published);
create policy "users can read published and own posts" on test_fixtures.rest_rd_posts for select to authenticated
  using (published or owner = (select auth.uid()));
`;

let f: RestFixture;
beforeAll(async () => {
  f = await createFixture(DDL);
  await reloadSchema(f, ['/rest_rd_authors', '/rest_rd_profiles', '/rest_rd_posts', '/rest_rd_tags', '/rest_rd_post_tags']);
});
afterAll(async () => {
  await f.db.query('drop table if exists test_fixtures.rest_rd_post_tags, test_fixtures.rest_rd_tags, test_fixtures.rest_rd_profiles, test_fixtures.rest_rd_posts, test_fixtures.rest_rd_authors cascade');
  await f.close();
});

const postsQuery = () => f.service.from('rest_rd_posts').select('id').order('id');
type Query = ReturnType<typeof postsQuery>;

const ids = (rows: { id: number }[] | null) => (rows ?? []).map((r) => r.id);

describe('row level security decides what each role reads', () => {
  it.each([
    ['anon', () => f.anon, [1, 3]],
    ['user A', () => f.userA, [1, 2, 3]],
    ['user B', () => f.userB, [1, 3, 4]],
    ['service_role', () => f.service, [1, 2, 3, 4]],
  ] as const)('%s', async (_name, client, expected) => {
    const { data, error } = await client().from('rest_rd_posts').select('id').order('id');
    expect(error).toBeNull();
    expect(ids(data)).toEqual(expected);
  });
});

describe('select', () => {
  it('renames, casts and JSON paths', async () => {
    const { data, error } = await f.service
      .from('rest_rd_posts')
      .select('postId:id, score::text, lang:meta->>lang, views:meta->stats->views, meta->stats')
      .eq('id', 1)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({ postId: 1, score: '10', lang: 'en', views: 7, stats: { views: 7 } });
  });

  it('embeds many-to-one with a column hint, one-to-many, many-to-many and one-to-one', async () => {
    const { data, error } = await f.service
      .from('rest_rd_posts')
      .select('id, author:rest_rd_authors!author_id(name, rest_rd_profiles(website)), rest_rd_tags(name)')
      .eq('id', 1)
      .single();
    expect(error).toBeNull();
    expect(data).toEqual({
      id: 1,
      author: { name: 'Ann', rest_rd_profiles: { website: 'ann.dev' } },
      rest_rd_tags: [{ name: 'news' }, { name: 'tech' }],
    });
    const authors = await f.service
      .from('rest_rd_authors')
      .select('name, posts:rest_rd_posts!author_id(id)')
      .order('id');
    expect(authors.data).toEqual([
      { name: 'Ann', posts: [{ id: 1 }, { id: 2 }] },
      { name: 'Bob', posts: [{ id: 3 }, { id: 4 }] },
      { name: 'Cy', posts: [] },
    ]);
  });

  it('embeds by foreign key constraint name and respects RLS inside embeds', async () => {
    const { data } = await f.anon
      .from('rest_rd_authors')
      .select('name, rest_rd_posts!rest_rd_posts_author_id_fkey(id)')
      .order('id');
    expect(data).toEqual([
      { name: 'Ann', rest_rd_posts: [{ id: 1 }] },
      { name: 'Bob', rest_rd_posts: [{ id: 3 }] },
      { name: 'Cy', rest_rd_posts: [] },
    ]);
  });

  it('!inner drops parents without matches; embedded filters, order and limit apply inside', async () => {
    const { data } = await f.service
      .from('rest_rd_authors')
      .select('name, rest_rd_posts!author_id!inner(id, score)')
      .gt('rest_rd_posts.score', 8)
      .order('id');
    expect(data).toEqual([{ name: 'Ann', rest_rd_posts: [{ id: 1, score: 10 }, { id: 2, score: 20 }] }]);

    const limited = await f.service
      .from('rest_rd_authors')
      .select('name, rest_rd_posts!author_id(id)')
      .order('id', { referencedTable: 'rest_rd_posts', ascending: false })
      .limit(1, { referencedTable: 'rest_rd_posts' })
      .in('id', [1, 2])
      .order('id');
    expect(limited.data).toEqual([
      { name: 'Ann', rest_rd_posts: [{ id: 2 }] },
      { name: 'Bob', rest_rd_posts: [{ id: 4 }] },
    ]);
  });

  it('filters on a null embed and spreads a to-one embed', async () => {
    const noProfile = await f.service.from('rest_rd_authors').select('id, rest_rd_profiles(website)').is('rest_rd_profiles', null).order('id');
    expect(ids(noProfile.data)).toEqual([2, 3]);
    const spread = await f.service.from('rest_rd_posts').select('id, ...rest_rd_authors!author_id(author_name:name)').eq('id', 3).single();
    expect(spread.data).toEqual({ id: 3, author_name: 'Bob' });
  });

  it('orders by a to-one embedded column', async () => {
    const res = await f.fetch(`${f.restUrl}/rest_rd_posts?select=id,a:rest_rd_authors!author_id(name)&order=a(name).desc,id.asc`, {
      headers: { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}` },
    });
    expect(((await res.json()) as { id: number }[]).map((r) => r.id)).toEqual([3, 1, 2]);
  });

  it('is ambiguous without a hint when two foreign keys join the same tables (PGRST201)', async () => {
    const { error, status } = await f.service.from('rest_rd_posts').select('id, rest_rd_authors(name)');
    expect(status).toBe(300);
    expect(error?.code).toBe('PGRST201');
    expect(error?.hint).toContain('rest_rd_authors!rest_rd_posts_author_id_fkey');
  });

  it('reports an unknown relationship (PGRST200) and an unknown column (42703)', async () => {
    const rel = await f.service.from('rest_rd_posts').select('id, nope(*)');
    expect(rel.status).toBe(400);
    expect(rel.error?.code).toBe('PGRST200');
    const col = await f.service.from('rest_rd_posts').select('nope');
    expect(col.status).toBe(400);
    expect(col.error?.code).toBe('42703');
  });
});

describe('filters', () => {
  const cases: [string, (q: Query) => Query, number[]][] = [
    ['eq', (q) => q.eq('score', 10), [1]],
    ['neq', (q) => q.neq('score', 10), [2, 4]],
    ['gt / lte', (q) => q.gt('score', 5).lte('score', 20), [1, 2]],
    ['gte / lt', (q) => q.gte('score', 5).lt('score', 20), [1, 4]],
    ['like', (q) => q.like('title', '*o*'), [1, 2, 3, 4]],
    ['ilike', (q) => q.ilike('title', 'hello%'), [1]],
    ['match', (q) => q.match({ author_id: 2, published: true }), [3]],
    ['regex match', (q) => q.filter('title', 'match', '^S'), [2]],
    ['regex imatch', (q) => q.filter('title', 'imatch', '^d'), [4]],
    ['in', (q) => q.in('id', [2, 4, 9]), [2, 4]],
    ['in with quoted values', (q) => q.in('title', ['Hello world', 'Bob writes']), [1, 3]],
    ['is null', (q) => q.is('score', null), [3]],
    ['not is null', (q) => q.not('score', 'is', null), [1, 2, 4]],
    ['is true', (q) => q.is('published', true), [1, 3]],
    ['isdistinct', (q) => q.filter('score', 'isdistinct', 10), [2, 3, 4]],
    ['contains', (q) => q.contains('tags', ['b']), [1, 3]],
    ['contained by', (q) => q.containedBy('tags', ['a', 'b', 'z']), [1, 2, 4]],
    ['overlaps', (q) => q.overlaps('tags', ['c', 'z']), [3]],
    ['jsonb contains', (q) => q.contains('meta', { lang: 'fr' }), [3]],
    ['json path', (q) => q.eq('meta->>lang', 'en'), [1]],
    ['nested json path', (q) => q.gt('meta->stats->views', 5), [1]],
    ['full text search', (q) => q.textSearch('title', 'hello & world', { config: 'english' }), [1]],
    ['plain full text search', (q) => q.textSearch('title', 'bob writes', { type: 'plain' }), [3]],
    ['phrase full text search', (q) => q.textSearch('title', 'second post', { type: 'phrase', config: 'english' }), [2]],
    ['websearch full text search', (q) => q.textSearch('title', 'bob -draft', { type: 'websearch' }), [3]],
    ['not', (q) => q.not('author_id', 'eq', 1), [3, 4]],
    ['or', (q) => q.or('score.eq.5,title.eq.Hello world'), [1, 4]],
    ['nested logic', (q) => q.or('id.eq.1,and(author_id.eq.2,score.is.null)'), [1, 3]],
    ['not in', (q) => q.not('id', 'in', '(1,2)'), [3, 4]],
    ['eq(any)', (q) => q.filter('id', 'eq(any)', '{1,3}'), [1, 3]],
    ['like(all)', (q) => q.filter('title', 'like(all)', '{*o*,*B*}'), [3, 4]],
  ];
  it.each(cases)('%s', async (_name, apply, expected) => {
    const { data, error } = await apply(postsQuery());
    expect(error).toBeNull();
    expect(ids(data)).toEqual(expected);
  });

  it('negated logic trees in the query string', async () => {
    const res = await f.fetch(`${f.restUrl}/rest_rd_posts?select=id&order=id&not.or=(id.eq.1,id.eq.2)`, { headers: { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}` } });
    expect(await res.json()).toEqual([{ id: 3 }]);
  });

  it('rejects a malformed filter with PGRST100 and keeps serving', async () => {
    const { error, status } = await f.anon.from('rest_rd_posts').select('id').filter('id', 'eqq', 1);
    expect(status).toBe(400);
    expect(error?.code).toBe('PGRST100');
    const ok = await f.anon.from('rest_rd_posts').select('id').limit(1);
    expect(ok.status).toBe(200);
  });
});

describe('order, pagination and counts', () => {
  it('orders with nulls first/last', async () => {
    const { data } = await f.service.from('rest_rd_posts').select('id').order('score', { ascending: false, nullsFirst: true });
    expect(ids(data)).toEqual([3, 2, 1, 4]);
    const last = await f.service.from('rest_rd_posts').select('id').order('score', { ascending: true, nullsFirst: false });
    expect(ids(last.data)).toEqual([4, 1, 2, 3]);
  });

  it('range with exact count answers 206 and Content-Range', async () => {
    const { data, count, status } = await f.service.from('rest_rd_posts').select('id', { count: 'exact' }).order('id').range(1, 2);
    expect(ids(data)).toEqual([2, 3]);
    expect(count).toBe(4);
    expect(status).toBe(206);
  });

  it('counts under RLS, head-only and planned/estimated', async () => {
    const head = await f.anon.from('rest_rd_posts').select('*', { count: 'exact', head: true });
    expect(head.count).toBe(2);
    expect(head.data).toBeNull();
    const planned = await f.service.from('rest_rd_posts').select('id', { count: 'planned' });
    expect(typeof planned.count).toBe('number');
    const estimated = await f.service.from('rest_rd_posts').select('id', { count: 'estimated' });
    expect(estimated.count).toBe(4);
  });

  it('Range header, limit/offset, Content-Range and 416 past the end', async () => {
    const headers = { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}` };
    const ranged = await f.fetch(`${f.restUrl}/rest_rd_posts?select=id&order=id`, { headers: { ...headers, Range: '1-1', 'Range-Unit': 'items' } });
    expect(ranged.headers.get('content-range')).toBe('1-1/*');
    expect(await ranged.json()).toEqual([{ id: 2 }]);

    const counted = await f.fetch(`${f.restUrl}/rest_rd_posts?select=id&order=id&limit=2&offset=1`, { headers: { ...headers, Prefer: 'count=exact' } });
    expect(counted.status).toBe(206);
    expect(counted.headers.get('content-range')).toBe('1-2/3');
    expect(counted.headers.get('preference-applied')).toBe('count=exact');

    const past = await f.fetch(`${f.restUrl}/rest_rd_posts?select=id&offset=10`, { headers: { ...headers, Prefer: 'count=exact' } });
    expect(past.status).toBe(416);
    expect(((await past.json()) as { code: string }).code).toBe('PGRST103');

    const empty = await f.fetch(`${f.restUrl}/rest_rd_posts?id=eq.99`, { headers });
    expect(empty.headers.get('content-range')).toBe('*/*');
  });

  it('HEAD answers headers only', async () => {
    const res = await f.fetch(`${f.restUrl}/rest_rd_posts?select=id`, { method: 'HEAD', headers: { ...f.anonHeaders, Prefer: 'count=exact' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBe('0-1/2');
    expect(await res.text()).toBe('');
  });
});

describe('media types', () => {
  it('single() gives an object; PGRST116 (406) unless exactly one row', async () => {
    const one = await f.anon.from('rest_rd_posts').select('id, title').eq('id', 1).single();
    expect(one.data).toEqual({ id: 1, title: 'Hello world' });
    const none = await f.anon.from('rest_rd_posts').select('id').eq('id', 2).single();
    expect(none.status).toBe(406);
    expect(none.error?.code).toBe('PGRST116');
    expect(none.error?.details).toBe('The result contains 0 rows');
    const many = await f.anon.from('rest_rd_posts').select('id').single();
    expect(many.error?.details).toBe('The result contains 2 rows');
  });

  it('maybeSingle() gives null for no row', async () => {
    const { data, error } = await f.anon.from('rest_rd_posts').select('id').eq('id', 2).maybeSingle();
    expect(error).toBeNull();
    expect(data).toBeNull();
  });

  it('csv()', async () => {
    const { data, error } = await f.service.from('rest_rd_posts').select('id,title,score').order('id').limit(3).csv();
    expect(error).toBeNull();
    expect(data).toBe('id,title,score\n1,"Hello world",10\n2,"Second post",20\n3,"Bob writes",');
  });

  it('rejects an unavailable media type (PGRST107) and an unexposed schema (PGRST106)', async () => {
    const xml = await f.fetch(`${f.restUrl}/rest_rd_posts`, { headers: { ...f.anonHeaders, Accept: 'application/xml' } });
    expect(xml.status).toBe(406);
    expect(((await xml.json()) as { code: string }).code).toBe('PGRST107');
    const schema = await f.fetch(`${f.restUrl}/rest_rd_posts`, { headers: { ...f.anonHeaders, 'Accept-Profile': 'private' } });
    expect(schema.status).toBe(406);
    expect(await schema.json()).toMatchObject({ code: 'PGRST106', message: 'Invalid schema: private' });
  });
});
