import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteStatement,
} from "kysely";

/**
 * SQLite transactions that take the write lock at BEGIN. Kysely's default deferred BEGIN upgrades to
 * a write lock at the first write, and two processes upgrading at once fail with SQLITE_BUSY without
 * waiting; BEGIN IMMEDIATE makes the second one wait (busy_timeout) instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * better-sqlite3 compiles a statement on every `prepare`, and Kysely prepares every query it runs;
 * compiling was ~4 % of the OMS's CPU under read load. A statement is reusable once its `all`/`run`
 * returned (Kysely never streams here), so one per distinct SQL text is kept, oldest dropped first.
 */
export function withStatementCache(database: SqliteDatabase, max = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sqlText) {
      const cached = cache.get(sqlText);
      if (cached !== undefined) return cached;
      const statement = database.prepare(sqlText);
      if (cache.size >= max) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      cache.set(sqlText, statement);
      return statement;
    },
  };
}
