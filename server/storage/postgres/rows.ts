// What the stores read back from PostgreSQL, checked before use: pg hands a BIGINT or a sum over as
// a string (it may exceed a JavaScript number), so these turn it into a safe integer or fail clearly.
import type pg from 'pg';
import { z } from 'zod';

/** A BIGINT, a count or a sum: a safe integer, whether pg gives it as a number or as a string. */
export const pgInt = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((value, ctx) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: `${value} is not a safe integer` });
    return z.NEVER;
  }
  return n;
});

/** The rows of a result, each checked against `row`; `what` names them in the error. */
export function rowsOf<T>(result: pg.QueryResult, row: z.ZodType<T>, what: string): T[] {
  const parsed = z.array(row).safeParse(result.rows);
  if (!parsed.success) throw new Error(`unexpected ${what} in the database: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The first row of a result, checked; undefined when there is none. */
export function firstRowOf<T>(result: pg.QueryResult, row: z.ZodType<T>, what: string): T | undefined {
  return rowsOf({ ...result, rows: result.rows.slice(0, 1) }, row, what)[0];
}
