/**
 * Auth's database, over postgres.js (the driver every other service in Marquee Local uses), behind
 * the `query(text, params)` interface Auth's code is written against. Values go in and come out as
 * Auth expects them: a string parameter is sent as written (a JSON string for a `jsonb` column, 't'
 * for a boolean), objects as JSON, arrays as Postgres arrays, `undefined` as NULL; timestamps come
 * back as Date, json/jsonb parsed, arrays as arrays, int8 and numeric as strings.
 */
import postgres, { type PostgresType, type Sql, type TransactionSql } from 'postgres';

export interface QueryResult<R> {
  rows: R[];
  /** Rows returned or affected by the statement. */
  rowCount: number;
}

/** Anything that runs a query: the pool or a transaction. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are typed by the caller, as with any driver
  query<R = any>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface AuthDatabase {
  /** Queries outside a transaction, each on any free connection. */
  pool: Queryable;
  /** Runs `work` in one transaction; rolls back when it throws (unless it throws `CommitThenThrow`). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Thrown inside a transaction to commit the work done so far and still fail the request, as
 * GoTrue's `storage.NewCommitWithError` does (refresh-token reuse revokes the family, then errors).
 */
export class CommitThenThrow extends Error {
  constructor(readonly error: unknown) {
    super('commit then throw');
  }
}

/** A serializer that sends strings untouched and anything else through `serialize`. */
const textOr = (serialize: (x: unknown) => string) => (x: unknown) => (typeof x === 'string' ? x : serialize(x));

/**
 * postgres.js serializes a parameter by the type the server infers for it; Auth's SQL passes
 * already-encoded text for several of them (`$1::jsonb` with `JSON.stringify(…)`), which must not be
 * encoded a second time.
 */
const AUTH_TYPES: Record<string, PostgresType> = {
  json: { to: 114, from: [114], serialize: textOr((x) => JSON.stringify(x)), parse: (x: string) => JSON.parse(x) },
  jsonb: { to: 3802, from: [3802], serialize: textOr((x) => JSON.stringify(x)), parse: (x: string) => JSON.parse(x) },
  boolean: { to: 16, from: [16], serialize: textOr((x) => (x ? 't' : 'f')), parse: (x: string) => x === 't' },
  date: {
    to: 1184,
    from: [1082, 1114, 1184],
    serialize: textOr((x) => (x instanceof Date ? x : new Date(x as number)).toISOString()),
    parse: (x: string) => new Date(x),
  },
  bytea: {
    to: 17,
    from: [17],
    serialize: textOr((x) => '\\x' + Buffer.from(x as Uint8Array).toString('hex')),
    parse: (x: string) => Buffer.from(x.slice(2), 'hex'),
  },
};

/** An object parameter for a column that is not json (pg's behaviour): its JSON text. */
function parameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return JSON.stringify(value);
  }
  return value;
}

function queryable(sql: Sql | TransactionSql): Queryable {
  return {
    async query(text, params = []) {
      // Without parameters this is the simple protocol, so a script of several statements runs too.
      const result = await sql.unsafe(text, params.map(parameter) as postgres.ParameterOrJSON<never>[]);
      return { rows: [...result] as never[], rowCount: result.count ?? result.length };
    },
  };
}

export function createAuthDatabase(connectionString: string): AuthDatabase {
  const sql = postgres(connectionString, {
    max: 10,
    idle_timeout: 10,
    types: AUTH_TYPES,
    onnotice: () => undefined,
    connection: { application_name: 'marquee-auth' },
  });
  return {
    pool: queryable(sql),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      let commitThenThrow: CommitThenThrow | undefined;
      const result = await sql.begin(async (tx) => {
        try {
          return await work(queryable(tx));
        } catch (error) {
          if (!(error instanceof CommitThenThrow)) throw error;
          commitThenThrow = error;
          return undefined;
        }
      });
      if (commitThenThrow) throw commitThenThrow.error;
      return result as T;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
