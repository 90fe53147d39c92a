import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { withStatementCache } from "./sqlite-dialect";

describe("withStatementCache", () => {
  const database = new SQLite(":memory:");
  afterEach(() => database.exec("drop table if exists t"));

  it("reuses one compiled statement per SQL text and still answers correctly", () => {
    const cached = withStatementCache(database);
    database.exec("create table t (n integer)");
    const insert = cached.prepare("insert into t (n) values (?)");
    expect(cached.prepare("insert into t (n) values (?)")).toBe(insert);
    insert.run([1]);
    cached.prepare("insert into t (n) values (?)").run([2]);
    expect(cached.prepare("select sum(n) as s from t").all([])).toEqual([{ s: 3 }]);
  });

  it("drops the oldest statement beyond its bound", () => {
    const cached = withStatementCache(database, 2);
    const first = cached.prepare("select 1");
    cached.prepare("select 2");
    cached.prepare("select 3");
    expect(cached.prepare("select 1")).not.toBe(first);
    expect(cached.prepare("select 1").all([])).toEqual([{ 1: 1 }]);
  });
});
