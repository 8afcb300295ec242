/**
 * SQL text helpers. Requests run as one simple-protocol round trip, so every user value is
 * written as a quoted literal here.
 */
import { RestError } from './errors.ts';

export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/**
 * A quoted literal of unknown type, so Postgres infers it from context as PostgREST's parameters do.
 * An escape string (E'…') with backslashes and quotes both doubled reads the same whatever
 * standard_conforming_strings says, so no setting can turn a value into SQL.
 */
export function literal(value: string): string {
  if (value.includes('\0')) {
    throw new RestError(400, '22021', 'invalid byte sequence for encoding "UTF8": 0x00');
  }
  return "E'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

/** `set_config(name, value, true)`: a transaction-local setting. */
export function setLocal(name: string, value: string): string {
  return `set_config(${literal(name)}, ${literal(value)}, true)`;
}

/** A Postgres array literal (`{a,"b c"}`) for `= any(...)`. */
export function arrayLiteral(values: string[]): string {
  return '{' + values.map((v) => '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"').join(',') + '}';
}
