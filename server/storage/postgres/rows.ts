// Reading rows from PostgreSQL: every row is checked against what the store expects before it is
// used, so a changed or damaged table gives a clear error rather than a wrong answer.
import pg from 'pg';
import { z } from 'zod';

/** A pool (one statement, its own transaction) or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** BIGINT and count(*) come back from pg as strings (they may not fit a number): read them as numbers, refusing any that does not fit. */
export const int8 = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)])
  .refine(Number.isSafeInteger, 'beyond what a number holds exactly');

export interface Query {
  /** Names a hot statement, so each connection prepares it once. */
  name?: string;
  text: string;
  values?: unknown[];
}

/** The rows of a result already in hand, each checked by `schema`; `what` names them in the error. */
export function rowsOf<S extends z.ZodType>(result: pg.QueryResult, schema: S, what: string): z.output<S>[] {
  return result.rows.map((row: unknown) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new Error(`unexpected ${what} in the database: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}

/** The first row of a result already in hand, checked; undefined when there is none. */
export function firstRowOf<S extends z.ZodType>(result: pg.QueryResult, schema: S, what: string): z.output<S> | undefined {
  return rowsOf({ ...result, rows: result.rows.slice(0, 1) }, schema, what)[0];
}

/** Runs a query and checks its rows by `schema`. */
export async function rows<S extends z.ZodType>(db: Queryable, schema: S, query: Query): Promise<z.output<S>[]> {
  return rowsOf(await db.query(query), schema, `row (${query.name ?? query.text.slice(0, 60)})`);
}

/** The first row of a query, checked by `schema`; undefined when there is none. */
export async function firstRow<S extends z.ZodType>(db: Queryable, schema: S, query: Query): Promise<z.output<S> | undefined> {
  return (await rows(db, schema, query))[0];
}

/** How many rows a statement changed. */
export async function changes(db: Queryable, query: Query): Promise<number> {
  return (await db.query(query)).rowCount ?? 0;
}

/** The database answered with an error: the statement, in a transaction of its own, left nothing behind. */
export function refused(error: unknown): boolean {
  return error instanceof pg.DatabaseError;
}
