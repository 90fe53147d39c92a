import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";

/**
 * Marks a hot read's SQL for a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call. SQLite ignores the comment (its statements are cached by text).
 * Only SQL built here is named: an ad-hoc statement prepared before a migration changed its table would
 * fail on its next use, and an unbounded set of texts would grow every connection's statement list.
 */
export function preparedSql(name: string, sqlText: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`prepared statement name ${name} is not [a-z0-9_]`);
  return `/* prepared:${name} */ ${sqlText}`;
}

const MARK = /^\/\* prepared:([a-z][a-z0-9_]*) \*\/ /;

/** How many statements a pool's clients have sent (BEGIN and COMMIT included): a figure for benches. */
export interface StatementCount {
  sent: number;
}

/**
 * The pool Kysely is given: the same clients, except that SQL from `preparedSql` is sent as a named
 * statement, and each statement sent is counted in `count`. One wrapper per pg client: Kysely keys its
 * connections by client object.
 */
export function namedStatementPool(pool: pg.Pool, count: StatementCount = { sent: 0 }): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) {
        wrapper = new NamingClient(client, count);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

class NamingClient implements PostgresPoolClient {
  readonly #client: pg.PoolClient;
  readonly #count: StatementCount;
  constructor(client: pg.PoolClient, count: StatementCount) {
    this.#client = client;
    this.#count = count;
  }
  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    this.#count.sent++;
    if (typeof sqlOrCursor !== "string") {
      // Streaming reads (Kysely's cursor) pass through untouched.
      const query = this.#client.query as unknown as (cursor: PostgresCursor<R>) => PostgresCursor<R>;
      return query.call(this.#client, sqlOrCursor);
    }
    const values = [...(parameters ?? [])];
    const name = MARK.exec(sqlOrCursor)?.[1];
    const config = name === undefined ? { text: sqlOrCursor, values } : { name, text: sqlOrCursor, values };
    return this.#client.query(config) as unknown as Promise<PostgresQueryResult<R>>;
  }
  release(): void {
    this.#client.release();
  }
}
