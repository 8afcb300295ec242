/** `GET /` — a Swagger 2.0 description of the exposed schema, like PostgREST's root endpoint. */
import type { Column, Relation, Routine, SchemaCache } from './schema-cache.ts';

/** Relations and routines the request's role may use (has_*_privilege, evaluated in its transaction). */
export const VISIBLE_SQL = (schema: string): string => `
select
  coalesce((select json_agg(c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${quote(schema)} and c.relkind in ('r','v','m','f','p')
      and has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE')), '[]')::text as relations,
  coalesce((select json_agg(p.proname) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = ${quote(schema)} and has_function_privilege(p.oid, 'EXECUTE')), '[]')::text as routines`;

const quote = (s: string) => "'" + s.replace(/'/g, "''") + "'";

export function openApi(cache: SchemaCache, schema: string, visible: { relations: Set<string>; routines: Set<string> }, host: string): unknown {
  const relations = [...cache.relations.values()].filter((r) => r.schema === schema && visible.relations.has(r.name));
  const routines = [...cache.routines.values()].flat().filter((r) => r.schema === schema && visible.routines.has(r.name));
  const mediaTypes = ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json', 'text/csv'];
  const paths: Record<string, unknown> = {
    '/': { get: { produces: ['application/openapi+json', 'application/json'], responses: { 200: { description: 'OK' } }, summary: 'OpenAPI description (this document)', tags: ['Introspection'] } },
  };
  const parameters: Record<string, unknown> = {
    preferParams: { name: 'Prefer', description: 'Preference', required: false, enum: ['params=single-object'], in: 'header', type: 'string' },
    preferReturn: { name: 'Prefer', description: 'Preference', required: false, enum: ['return=representation', 'return=minimal', 'return=none'], in: 'header', type: 'string' },
    preferCount: { name: 'Prefer', description: 'Preference', required: false, enum: ['count=none'], in: 'header', type: 'string' },
    preferPost: { name: 'Prefer', description: 'Preference', required: false, enum: ['return=representation', 'return=minimal', 'return=none', 'resolution=ignore-duplicates', 'resolution=merge-duplicates'], in: 'header', type: 'string' },
    select: { name: 'select', description: 'Filtering Columns', required: false, in: 'query', type: 'string' },
    on_conflict: { name: 'on_conflict', description: 'On Conflict', required: false, in: 'query', type: 'string' },
    order: { name: 'order', description: 'Ordering', required: false, in: 'query', type: 'string' },
    range: { name: 'Range', description: 'Limiting and Pagination', required: false, in: 'header', type: 'string' },
    rangeUnit: { name: 'Range-Unit', description: 'Limiting and Pagination', required: false, default: 'items', in: 'header', type: 'string' },
    offset: { name: 'offset', description: 'Limiting and Pagination', required: false, in: 'query', type: 'string' },
    limit: { name: 'limit', description: 'Limiting and Pagination', required: false, in: 'query', type: 'string' },
  };
  const definitions: Record<string, unknown> = {};

  for (const rel of relations) {
    definitions[rel.name] = definition(rel);
    parameters[`body.${rel.name}`] = { name: rel.name, description: rel.name, required: false, in: 'body', schema: { $ref: `#/definitions/${rel.name}` } };
    const filters = rel.columns.map((c) => {
      parameters[`rowFilter.${rel.name}.${c.name}`] = { name: c.name, required: false, format: c.type, in: 'query', type: 'string' };
      return { $ref: `#/parameters/rowFilter.${rel.name}.${c.name}` };
    });
    const tags = [rel.name];
    const ops: Record<string, unknown> = {
      get: {
        parameters: [...filters, ...['select', 'order', 'range', 'rangeUnit', 'offset', 'limit', 'preferCount'].map(ref)],
        responses: { 200: { description: 'OK', schema: { items: { $ref: `#/definitions/${rel.name}` }, type: 'array' } }, 206: { description: 'Partial Content' } },
        ...(rel.description ? { summary: rel.description } : {}),
        tags,
      },
    };
    if (rel.insertable) ops.post = { parameters: [ref(`body.${rel.name}`), ref('select'), ref('preferPost')], responses: { 201: { description: 'Created' } }, tags };
    if (rel.updatable) ops.patch = { parameters: [...filters, ref(`body.${rel.name}`), ref('preferReturn')], responses: { 204: { description: 'No Content' } }, tags };
    if (rel.deletable) ops.delete = { parameters: [...filters, ref('preferReturn')], responses: { 204: { description: 'No Content' } }, tags };
    paths[`/${rel.name}`] = ops;
  }

  for (const routine of routines) {
    paths[`/rpc/${routine.name}`] = rpcPath(routine);
  }

  return {
    swagger: '2.0',
    info: { description: '', title: 'standard public schema', version: '12.2.0 (Marquee Local)' },
    host,
    basePath: '/',
    schemes: ['http'],
    consumes: mediaTypes,
    produces: mediaTypes,
    paths,
    definitions,
    parameters,
    externalDocs: { description: 'PostgREST Documentation', url: 'https://postgrest.org/en/v12/references/api.html' },
  };
}

const ref = (name: string) => ({ $ref: `#/parameters/${name}` });

function definition(rel: Relation): unknown {
  const properties: Record<string, unknown> = {};
  for (const c of rel.columns) properties[c.name] = property(c, rel.primaryKey.includes(c.name));
  const required = rel.columns.filter((c) => !c.nullable && c.default === null && c.identity === '' && !c.generated).map((c) => c.name);
  return { ...(rel.description ? { description: rel.description } : {}), required, properties, type: 'object' };
}

function property(c: Column, isPk: boolean): Record<string, unknown> {
  const notes = [c.description, isPk ? 'Note:\nThis is a Primary Key.<pk/>' : undefined].filter(Boolean).join('\n\n');
  const out: Record<string, unknown> = { ...(notes ? { description: notes } : {}), format: c.type.replace(/^public\./, '') };
  if (c.default !== null) out.default = c.default;
  if (c.enumValues.length > 0) out.enum = c.enumValues;
  if (c.maxLength !== null) out.maxLength = c.maxLength;
  const t = swaggerType(c.typeName, c.category);
  if (t) out.type = t;
  if (t === 'array') out.items = { type: swaggerType(c.typeName.replace(/^_/, ''), '') ?? 'string' };
  return out;
}

function swaggerType(typeName: string, category: string): string | undefined {
  if (category === 'A') return 'array';
  if (['int2', 'int4', 'int8', 'smallint', 'integer', 'bigint'].includes(typeName)) return 'integer';
  if (['numeric', 'float4', 'float8', 'real', 'double precision'].includes(typeName)) return 'number';
  if (typeName === 'bool' || typeName === 'boolean') return 'boolean';
  if (typeName === 'json' || typeName === 'jsonb') return undefined;
  return 'string';
}

function rpcPath(routine: Routine): unknown {
  const properties: Record<string, unknown> = {};
  for (const p of routine.params) properties[p.name] = { format: p.type, type: swaggerType(p.type, p.type.endsWith('[]') ? 'A' : '') ?? 'string' };
  const required = routine.params.filter((p) => !p.hasDefault).map((p) => p.name);
  const tags = ['(rpc) ' + routine.name];
  const post = {
    ...(routine.description ? { summary: routine.description } : {}),
    parameters: [{ in: 'body', name: 'args', required: true, schema: { properties, required, type: 'object' } }, ref('preferParams')],
    produces: ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json'],
    responses: { 200: { description: 'OK' } },
    tags,
  };
  if (routine.volatility === 'v') return { post };
  const get = {
    parameters: routine.params.map((p) => ({ format: p.type, in: 'query', name: p.name, required: !p.hasDefault, type: 'string' })),
    responses: { 200: { description: 'OK' } },
    tags,
  };
  return { get, post };
}
