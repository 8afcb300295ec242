/** Function calls for /rpc: choosing the overload by argument names, and the call as `pgrst_source`. */
import { RestError } from '../errors.ts';
import { key, type Routine, type RoutineParam, type SchemaCache } from '../schema-cache.ts';
import { ident, literal, qualified } from '../sql.ts';

export type CallArgs =
  | { kind: 'named'; values: Record<string, unknown> }
  /** The whole body as the one unnamed (or `params=single-object`) json/jsonb parameter. */
  | { kind: 'single'; json: string };

const isJsonType = (p: RoutineParam) => p.type === 'json' || p.type === 'jsonb';

export function pickRoutine(
  cache: SchemaCache,
  schema: string,
  name: string,
  argNames: string[],
  opts: { singleObject: boolean; jsonBody: boolean },
): { routine: Routine; singleParam: boolean } {
  const all = cache.routines.get(key(schema, name)) ?? [];
  if (opts.singleObject) {
    const found = all.filter((r) => r.params.length === 1 && isJsonType(r.params[0]!));
    if (found.length === 1) return { routine: found[0]!, singleParam: true };
  }
  const matches = all.filter((r) => {
    const names = new Set(r.params.map((p) => p.name));
    return argNames.every((a) => names.has(a)) && r.params.every((p) => p.hasDefault || argNames.includes(p.name));
  });
  if (matches.length === 1) return { routine: matches[0]!, singleParam: false };
  if (matches.length > 1) {
    // Prefer the overload whose parameters are exactly the given arguments.
    const exact = matches.filter((r) => r.params.length === argNames.length);
    if (exact.length === 1) return { routine: exact[0]!, singleParam: false };
    throw new RestError(300, 'PGRST203',
      `Could not choose the best candidate function between: ${matches.map((r) => `${r.schema}.${r.name}(${r.params.map((p) => `${p.name} => ${p.type}`).join(', ')})`).join(', ')}`,
      null, 'Try renaming the parameters or the function itself in the database so function overloading can be resolved');
  }
  if (opts.jsonBody) {
    const single = all.filter((r) => r.params.length === 1 && r.params[0]!.name === '' && isJsonType(r.params[0]!));
    if (single.length === 1) return { routine: single[0]!, singleParam: true };
  }
  const sorted = [...argNames].sort();
  const prms = sorted.length === 0 ? ' without parameters' : `(${sorted.join(', ')})`;
  const detailPrms = sorted.length === 0 ? ' without parameters' : ` with parameter${sorted.length > 1 ? 's' : ''} ${sorted.join(', ')}`;
  const overloads = all.map((r) => `(${r.params.map((p) => p.name).sort().join(', ')})`);
  throw new RestError(404, 'PGRST202',
    `Could not find the function ${schema}.${name}${prms} in the schema cache`,
    `Searched for the function ${schema}.${name}${detailPrms}${opts.jsonBody ? ' or with a single unnamed json/jsonb parameter' : ''}, but no matches were found in the schema cache.`,
    overloads.length > 0 ? `Perhaps you meant to call the function ${schema}.${name}${overloads[0]}` : null);
}

/** `SELECT … FROM fn(args)`: rows with pgrst_scalar for scalar functions, the function's columns otherwise. */
export function callSql(routine: Routine, args: CallArgs): string {
  const fn = qualified(routine.schema, routine.name);
  let call: string;
  let from = '';
  if (args.kind === 'single') {
    call = `${fn}(${literal(args.json)}::${routine.params[0]?.type ?? 'json'})`;
  } else {
    const given = routine.params.filter((p) => Object.hasOwn(args.values, p.name));
    if (given.length > 0) {
      const provided = Object.fromEntries(given.map((p) => [p.name, args.values[p.name]]));
      from = `json_to_record(${literal(JSON.stringify(provided))}::json) AS pgrst_body(${given.map((p) => `${ident(p.name)} ${p.type}`).join(', ')})`;
    }
    call = `${fn}(${given.map((p) => `${p.variadic ? 'VARIADIC ' : ''}${ident(p.name)} := pgrst_body.${ident(p.name)}`).join(', ')})`;
  }
  if (!routine.returnsComposite) {
    return `SELECT ${call} AS pgrst_scalar${from ? ` FROM ${from}` : ''}`;
  }
  return `SELECT pgrst_call.* FROM ${from ? `${from}, LATERAL ` : ''}${call} pgrst_call`;
}
