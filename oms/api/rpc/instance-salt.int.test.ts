import { afterAll, describe, expect, it } from "vitest";
import { rpcInstanceSalt } from "../../../lib/defix/rpc-typed-data";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../../store/test-support/databases";
import { createAuthorNonces } from "./author-nonces";

/** The salt of the JSON-RPC signing domain names the database the author nonces live in. */
describe.each(DIALECTS)("the JSON-RPC instance salt on %s", (dialect) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.destroy();
  });

  it("is shared by every process on one database, differs between databases, and OMS_INSTANCE_ID overrides it", async () => {
    const [one, two] = await Promise.all([createTestDatabase(dialect), createTestDatabase(dialect)]);
    if (one === undefined || two === undefined) throw new Error("no database");
    databases.push(one, two);
    const first = await createAuthorNonces((await one.open()).db).salt();
    const sameDatabase = await createAuthorNonces((await one.open()).db).salt();
    const otherDatabase = await createAuthorNonces((await two.open()).db).salt();
    expect(sameDatabase).toBe(first);
    expect(otherDatabase).not.toBe(first);
    const configured = await createAuthorNonces((await one.open()).db, { instanceId: "restored-copy" }).salt();
    expect(configured).toBe(rpcInstanceSalt("restored-copy"));
  });
});
