import { stringToBytes, keccak256 as viemKeccak } from "viem";
import { describe, expect, it } from "vitest";
import { isKeccakLoaded, keccak256, loadKeccak } from "./keccak";

const inputs: (string | Uint8Array)[] = [
  "",
  "a",
  // Around the 136-byte rate of keccak-256: padding at every boundary.
  "x".repeat(135),
  "x".repeat(136),
  "x".repeat(137),
  '{"action":"DEPOSIT","vault_id":"31337:0xabc","note":"ünïcödé ✓ 🚀"}',
  "y".repeat(5_000),
  new Uint8Array([]),
  new Uint8Array([0, 1, 2, 255]),
  new Uint8Array(272).fill(7),
];
const expected = (input: string | Uint8Array) => viemKeccak(typeof input === "string" ? stringToBytes(input) : input);

describe("keccak256", () => {
  it("gives viem's digest before the WebAssembly module is loaded", () => {
    expect(isKeccakLoaded()).toBe(false);
    for (const input of inputs) expect(keccak256(input)).toBe(expected(input));
  });

  it("gives viem's digest on WebAssembly, call after call on the one instance", async () => {
    await Promise.all([loadKeccak(), loadKeccak()]);
    expect(isKeccakLoaded()).toBe(true);
    for (let round = 0; round < 2; round++) {
      for (const input of inputs) expect(keccak256(input)).toBe(expected(input));
    }
    // The known vector: keccak256("") (not SHA3-256's a7ffc6f8…).
    expect(keccak256("")).toBe("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });
});
