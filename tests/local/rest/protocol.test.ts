import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { createFixture, FIXTURE_SCHEMA, reloadSchema, signUserToken, type RestFixture } from './fixture.ts';

const DDL = `
drop table if exists test_fixtures.rest_pr_things cascade;
create table test_fixtures.rest_pr_things (id int primary key, name text not null);
comment on table test_fixtures.rest_pr_things is 'Things for protocol tests';
alter table test_fixtures.rest_pr_things enable row level security;
create policy "anyone can read things" on test_fixtures.rest_pr_things for select to anon, authenticated using (true);
insert into test_fixtures.rest_pr_things values (1, 'one');
`;

let f: RestFixture;
beforeAll(async () => {
  f = await createFixture(DDL);
  await reloadSchema(f, ['/rest_pr_things']);
});
afterAll(async () => {
  await f.db.query('drop table if exists test_fixtures.rest_pr_things, test_fixtures.rest_pr_late cascade');
  await f.close();
});

const withToken = (token: string) => userClient(token).schema(FIXTURE_SCHEMA);

describe('JWT', () => {
  it('an expired token is PGRST303 with WWW-Authenticate', async () => {
    const expired = await signUserToken('00000000-0000-4000-8000-000000000001', {}, Math.floor(Date.now() / 1000) - 60);
    const res = await f.fetch(`${f.restUrl}/rest_pr_things`, { headers: { apikey: stackEnv().anonKey, Authorization: `Bearer ${expired}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await res.json()).toMatchObject({ code: 'PGRST303', message: 'JWT expired' });
  });

  it('a token with a bad signature or shape is PGRST301', async () => {
    const good = await signUserToken('00000000-0000-4000-8000-000000000001');
    const tampered = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const bad = await withToken(tampered).from('rest_pr_things').select();
    expect(bad.status).toBe(401);
    expect(bad.error?.code).toBe('PGRST301');
    const malformed = await withToken('not-a-jwt').from('rest_pr_things').select();
    expect(malformed.status).toBe(401);
    expect(malformed.error?.code).toBe('PGRST301');
  });

  it('a role that does not exist is 401 (22023)', async () => {
    const token = await signUserToken('00000000-0000-4000-8000-000000000001', { role: 'no_such_role' });
    const { status, error } = await withToken(token).from('rest_pr_things').select();
    expect(status).toBe(401);
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe('role "no_such_role" does not exist');
  });
});

describe('resources', () => {
  it('an unknown table is PGRST205 (404) with a hint', async () => {
    const { status, error } = await f.anon.from('rest_pr_thing').select();
    expect(status).toBe(404);
    expect(error?.code).toBe('PGRST205');
    expect(error?.message).toBe("Could not find the table 'test_fixtures.rest_pr_thing' in the schema cache");
    expect(error?.hint).toBe("Perhaps you meant the table 'test_fixtures.rest_pr_things'");
  });

  it('picks up new tables after NOTIFY pgrst', async () => {
    await f.db.query(`create table test_fixtures.rest_pr_late (id int primary key); insert into test_fixtures.rest_pr_late values (7);`);
    await reloadSchema(f, ['/rest_pr_late']);
    expect((await f.service.from('rest_pr_late').select()).data).toEqual([{ id: 7 }]);
  });

  it('OPTIONS lists the allowed methods', async () => {
    const res = await f.fetch(`${f.restUrl}/rest_pr_things`, { method: 'OPTIONS', headers: f.anonHeaders });
    expect(res.status).toBeLessThan(300);
  });
});

describe('OpenAPI root', () => {
  it('describes tables, columns and rpc in Swagger 2.0', async () => {
    const res = await f.fetch(`${f.restUrl}/`, { headers: f.anonHeaders });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/openapi+json');
    const doc = (await res.json()) as {
      swagger: string;
      paths: Record<string, Record<string, unknown>>;
      definitions: Record<string, { properties: Record<string, { type?: string; description?: string }>; required: string[]; description?: string }>;
    };
    expect(doc.swagger).toBe('2.0');
    expect(Object.keys(doc.paths['/rest_pr_things']!)).toEqual(expect.arrayContaining(['get', 'post', 'patch', 'delete']));
    const def = doc.definitions.rest_pr_things!;
    expect(def.description).toBe('Things for protocol tests');
    expect(def.required).toEqual(['id', 'name']);
    expect(def.properties.id).toMatchObject({ type: 'integer', description: expect.stringContaining('<pk/>') });
    expect(def.properties.name?.type).toBe('string');
  });
});

describe('values', () => {
  it.each(["it's", 'back\\slash', "\\'; drop table rest_pr_things; --", 'ünïcödé ✓'])('%s round-trips through a write and a filter', async (name) => {
    const id = 100 + Math.floor(Math.random() * 1_000_000);
    const inserted = await f.service.from('rest_pr_things').insert({ id, name }).select().single();
    expect(inserted.error).toBeNull();
    expect(inserted.data).toEqual({ id, name });
    const found = await f.anon.from('rest_pr_things').select('id').eq('name', name);
    expect(found.data).toEqual([{ id }]);
    await f.service.from('rest_pr_things').delete().eq('id', id);
  });
});

describe('resilience', () => {
  it('keeps serving after a burst of bad requests', async () => {
    const bad = await Promise.all(
      ['select=(', 'id=zz.1', 'order=id.sideways', 'limit=-1', 'or=(id.eq.1'].map((q) => f.fetch(`${f.restUrl}/rest_pr_things?${q}`, { headers: f.anonHeaders })),
    );
    for (const res of bad) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('PGRST100');
    }
    expect((await f.anon.from('rest_pr_things').select('name')).data).toEqual([{ name: 'one' }]);
  });
});
