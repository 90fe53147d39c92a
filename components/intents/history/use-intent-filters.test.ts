import { describe, expect, it } from "vitest";
import { filtersFromSearch, searchWithFilters } from "./use-intent-filters";

const VAULT = "31337:0x5fbdb2315678afecb367f032d93f642f64180aa3";

describe("the history's filters in the URL", () => {
  it("reads a shared link, dropping values that are not in the contract's lists", () => {
    const filters = filtersFromSearch(
      new URLSearchParams(`vault_id=${VAULT}&state=FAILED,NOPE,COMPLETED&action=STEAL&range=24h&q=0xab`),
    );
    expect(filters).toMatchObject({
      vault_id: VAULT,
      state: ["FAILED", "COMPLETED"],
      action: null,
      range: "24h",
      q: "0xab",
    });
  });

  it("writes readable links, removes cleared filters and keeps keys that are not filters", () => {
    const search = searchWithFilters(new URLSearchParams("state=FAILED&utm=x&q=old"), {
      vault_id: VAULT,
      state: ["FAILED", "COMPLETED"],
      q: null,
    });
    expect(search).toBe(`state=FAILED,COMPLETED&utm=x&vault_id=${VAULT}`);
    expect(filtersFromSearch(new URLSearchParams(search))).toMatchObject({ vault_id: VAULT, q: null });
  });
});
