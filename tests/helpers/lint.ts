import type pg from 'pg';

/**
 * The database linter's rules that DESIGN.md makes binding, as catalog queries (after Supabase's
 * splinter). Each returns one row per offending object in the given schemas.
 */
export const LINTS: Record<string, string> = {
  rls_disabled: `
    select format('%I.%I', n.nspname, c.relname) as object
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname = any($1) and not c.relrowsecurity`,

  policy_for_all: `
    select format('%I.%I: %s', schemaname, tablename, policyname) as object
    from pg_policies where schemaname = any($1) and cmd = 'ALL'`,

  auth_rls_initplan: `
    select format('%I.%I: %s', schemaname, tablename, policyname) as object
    from pg_policies
    where schemaname = any($1)
      and (
        regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''), '\\(\\s*select\\s+(auth|private)\\.\\w+\\([^)]*\\)[^)]*\\)', '', 'gi')
        ~* '(auth\\.(uid|jwt|role|email)|private\\.has_role)\\('
      )`,

  // A policy "for all" counts once for each of the four actions.
  multiple_permissive_policies: `
    select format('%I.%I: %s for %s', p.schemaname, p.tablename, r.role, a.action) as object
    from pg_policies p,
      unnest(p.roles) as r(role),
      unnest(case when p.cmd = 'ALL' then array['SELECT', 'INSERT', 'UPDATE', 'DELETE'] else array[p.cmd] end) as a(action)
    where p.schemaname = any($1) and p.permissive = 'PERMISSIVE'
    group by p.schemaname, p.tablename, r.role, a.action
    having count(*) > 1`,

  function_search_path_mutable: `
    select format('%I.%I', n.nspname, p.proname) as object
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = any($1) and p.prosecdef
      and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')`,

  security_definer_executable_by_anon: `
    select format('%I.%I', n.nspname, p.proname) as object
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = any($1) and p.prosecdef and has_function_privilege('anon', p.oid, 'execute')`,

  unindexed_foreign_keys: `
    select format('%I.%I: %s', n.nspname, c.relname, con.conname) as object
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    where con.contype = 'f' and n.nspname = any($1)
      and not exists (
        select 1 from pg_index i
        where i.indrelid = con.conrelid
          and (i.indkey::int2[])[0:cardinality(con.conkey) - 1] @> con.conkey
      )`,
};

export async function lint(client: pg.Client, schemas: string[]): Promise<Record<string, string[]>> {
  const findings: Record<string, string[]> = {};
  for (const [name, sql] of Object.entries(LINTS)) {
    findings[name] = (await client.query<{ object: string }>(sql, [schemas])).rows.map((r) => r.object);
  }
  return findings;
}
