import { type Address, concatHex, encodeFunctionData, getAddress, type Hex, parseEther } from "viem";
import { describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi } from "../../contracts/generated/abis";
import type { PreparedTransaction } from "../defix/session-keys";
import { checkPreparedTransaction, type PreparedTxExpectation } from "./prepared-tx";

const EXECUTOR = "0x5fbdb2315678afecb367f032d93f642f64180aa3" as Address;
const VAULT = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0" as Address;
const OTHER_VAULT = "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9" as Address;
const NEW_KEY = "0x1111111111111111111111111111111111111111" as Address;
const OLD_KEY = "0x2222222222222222222222222222222222222222" as Address;
const NOW = new Date("2026-12-02T00:00:00.000Z");
const nowSeconds = BigInt(NOW.getTime() / 1000);
const WEEK = 168 * 3_600;
const EXPIRY = nowSeconds + BigInt(WEEK);
const ONE_ETH = parseEther("1");

const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

function expectation(overrides: Partial<PreparedTxExpectation> = {}): PreparedTxExpectation {
  return {
    action: "grant",
    chainId: 31337,
    executor: EXECUTOR,
    strategy: VAULT,
    currentKey: null,
    requestedSeconds: WEEK,
    maxStipendWei: ONE_ETH,
    now: NOW,
    ...overrides,
  };
}

function grantData(strategy: Address = VAULT, key: Address = NEW_KEY, expiry = EXPIRY, permissions = 1n): Hex {
  return encodeFunctionData({
    abi: sessionKeyExecutorAbi,
    functionName: "grantSessionKey",
    args: [strategy, key, expiry, permissions],
  });
}

function rotateData(oldKey: Address = OLD_KEY, newKey: Address = NEW_KEY): Hex {
  return encodeFunctionData({
    abi: sessionKeyExecutorAbi,
    functionName: "rotateSessionKey",
    args: [VAULT, oldKey, newKey, EXPIRY, 1n],
  });
}

const revokeData = (key: Address = OLD_KEY): Hex =>
  encodeFunctionData({ abi: sessionKeyExecutorAbi, functionName: "revokeSessionKey", args: [VAULT, key] });

/** What the OMS's grant endpoint answers, field for field. */
function prepared(overrides: Partial<PreparedTransaction> = {}): PreparedTransaction {
  return {
    to: EXECUTOR,
    data: grantData(),
    value: ONE_ETH.toString(),
    chain_id: 31337,
    session_key_address: NEW_KEY,
    expires_at: iso(EXPIRY),
    ...overrides,
  };
}

function reasonFor(tx: PreparedTransaction, expect: PreparedTxExpectation = expectation()): string {
  const check = checkPreparedTransaction(tx, expect);
  if (check.ok) throw new Error("expected a refusal");
  return `${check.code}: ${check.reason}`;
}

describe("checkPreparedTransaction: the expected calls pass with a summary", () => {
  it("summarises a grant: contract, function, key, expiry, permissions and the ETH it forwards", () => {
    const check = checkPreparedTransaction(prepared(), expectation());
    expect(check).toMatchObject({
      ok: true,
      summary: {
        contract: { name: "SessionKeyExecutor", address: EXECUTOR },
        functionName: "grantSessionKey",
        strategy: VAULT,
        key: NEW_KEY,
        replacedKey: null,
        expiry: new Date(Number(EXPIRY) * 1000),
        permissions: { names: ["Execute hooks"], unknownBits: [] },
        valueWei: ONE_ETH,
        tx: { to: EXECUTOR, data: grantData(), value: ONE_ETH, chainId: 31337 },
      },
    });
  });

  it("summarises a rotation: the key it replaces and the new key", () => {
    const tx = prepared({ data: rotateData() });
    const check = checkPreparedTransaction(tx, expectation({ action: "rotation", currentKey: OLD_KEY }));
    expect(check).toMatchObject({
      ok: true,
      summary: { functionName: "rotateSessionKey", key: NEW_KEY, replacedKey: OLD_KEY, valueWei: ONE_ETH },
    });
  });

  it("accepts the plain grant the OMS sends as a rotation when the chain never saw the old key", () => {
    const check = checkPreparedTransaction(prepared(), expectation({ action: "rotation", currentKey: OLD_KEY }));
    expect(check).toMatchObject({ ok: true, summary: { functionName: "grantSessionKey", replacedKey: null } });
  });

  it("summarises a revoke: the key, no expiry, no ETH", () => {
    const tx = prepared({ data: revokeData(), value: "0", session_key_address: OLD_KEY, expires_at: null });
    const check = checkPreparedTransaction(tx, expectation({ action: "revoke", requestedSeconds: null }));
    expect(check).toMatchObject({
      ok: true,
      summary: { functionName: "revokeSessionKey", key: OLD_KEY, expiry: null, permissions: null, valueWei: 0n },
    });
  });

  it("compares addresses regardless of checksum case", () => {
    const check = checkPreparedTransaction(prepared(), expectation({ executor: getAddress(EXECUTOR) }));
    expect(check.ok).toBe(true);
  });
});

describe("checkPreparedTransaction: anything else is refused with PREPARED_TX_REJECTED and why", () => {
  it("refuses a transaction to another contract", () => {
    expect(reasonFor(prepared({ to: OTHER_VAULT }))).toBe(
      `PREPARED_TX_REJECTED: it is addressed to ${OTHER_VAULT}, not to this deployment's SessionKeyExecutor ${EXECUTOR}`,
    );
  });

  it("refuses a transaction for another chain", () => {
    expect(reasonFor(prepared({ chain_id: 1 }))).toMatch(/for chain 1, but this vault is on chain 31337/);
  });

  it("refuses an unknown selector and empty calldata", () => {
    expect(reasonFor(prepared({ data: "0xa9059cbb0000" }))).toMatch(
      /function selector 0xa9059cbb is not a SessionKeyExecutor function/,
    );
    expect(reasonFor(prepared({ data: "0x" }))).toMatch(/no function selector/);
  });

  it("refuses another executor function than the action's", () => {
    const invalidate = encodeFunctionData({
      abi: sessionKeyExecutorAbi,
      functionName: "invalidateAllSessionKeys",
      args: [VAULT],
    });
    expect(reasonFor(prepared({ data: invalidate }))).toMatch(
      /it calls invalidateAllSessionKeys, but a grant must call grantSessionKey/,
    );
    expect(reasonFor(prepared({ data: revokeData(NEW_KEY), value: "0" }))).toMatch(/it calls revokeSessionKey/);
    expect(reasonFor(prepared(), expectation({ action: "revoke" }))).toMatch(
      /it calls grantSessionKey, but a revoke must call revokeSessionKey/,
    );
  });

  it("refuses a key change of another vault's strategy", () => {
    expect(reasonFor(prepared({ data: grantData(OTHER_VAULT) }))).toMatch(
      new RegExp(`changes the key of strategy 0x[0-9a-fA-F]{40}, not of this vault \\(${VAULT}\\)`),
    );
  });

  it("refuses a key other than the one the OMS announced", () => {
    expect(reasonFor(prepared({ data: grantData(VAULT, OLD_KEY) }))).toMatch(
      new RegExp(`names key ${OLD_KEY}, but the OMS announced key ${NEW_KEY}`, "i"),
    );
    expect(reasonFor(prepared({ session_key_address: null }))).toMatch(/did not say which session key/);
  });

  it("refuses a rotation that revokes a key other than the vault's active one", () => {
    const rotation = expectation({ action: "rotation", currentKey: "0x3333333333333333333333333333333333333333" });
    expect(reasonFor(prepared({ data: rotateData() }), rotation)).toMatch(/revokes key 0x2222.*active key is 0x3333/);
    expect(reasonFor(prepared({ data: rotateData() }), { ...rotation, currentKey: null })).toMatch(
      /no active key to rotate/,
    );
  });

  it("refuses an expiry in the past, beyond the chosen lifetime, or other than the announced one", () => {
    const past = nowSeconds - 60n;
    expect(reasonFor(prepared({ data: grantData(VAULT, NEW_KEY, past), expires_at: iso(past) }))).toMatch(
      /expiry 2026-12-01T23:59:00.000Z is not in the future/,
    );
    const year = nowSeconds + 365n * 86_400n;
    expect(reasonFor(prepared({ data: grantData(VAULT, NEW_KEY, year), expires_at: iso(year) }))).toMatch(
      /expiry 2027-12-02T00:00:00.000Z is later than the 7 days you chose/,
    );
    // A 24-hour choice cannot come back as a week.
    expect(reasonFor(prepared(), expectation({ requestedSeconds: 86_400 }))).toMatch(/later than the 1 days you chose/);
    // Never beyond the OMS's 30-day maximum, whatever was requested.
    const beyond = nowSeconds + 40n * 86_400n;
    const long = prepared({ data: grantData(VAULT, NEW_KEY, beyond), expires_at: iso(beyond) });
    expect(reasonFor(long, expectation({ requestedSeconds: 60 * 86_400 }))).toMatch(/later than the 30 days/);
    expect(reasonFor(prepared({ expires_at: iso(EXPIRY - 1n) }))).toMatch(/differs from the expiry the OMS announced/);
  });

  it("names unknown permission bits and refuses them, and refuses a key that cannot execute hooks", () => {
    expect(reasonFor(prepared({ data: grantData(VAULT, NEW_KEY, EXPIRY, 0b101n) }))).toBe(
      "PREPARED_TX_REJECTED: it grants unknown permission bits (bit 2 (0x4))",
    );
    expect(reasonFor(prepared({ data: grantData(VAULT, NEW_KEY, EXPIRY, (1n << 256n) - 1n) }))).toMatch(
      /bit 1 \(0x2\), .*bit 8 \(0x100\), 247 more\)/,
    );
    expect(reasonFor(prepared({ data: grantData(VAULT, NEW_KEY, EXPIRY, 0n) }))).toMatch(
      /would not hold the Execute hooks permission/,
    );
  });

  it("refuses more ETH than the console's stipend ceiling", () => {
    expect(reasonFor(prepared({ value: (ONE_ETH + 1n).toString() }))).toBe(
      "PREPARED_TX_REJECTED: it takes 1000000000000000001 wei from your wallet for the key, above this console's ceiling of 1000000000000000000 wei",
    );
  });

  it("refuses ETH on the non-payable revoke", () => {
    const tx = prepared({ data: revokeData(), value: "1", session_key_address: OLD_KEY, expires_at: null });
    expect(reasonFor(tx, expectation({ action: "revoke" }))).toMatch(
      /sends 1 wei with revokeSessionKey, which is not payable/,
    );
  });

  it("refuses bytes appended after the ABI-encoded arguments", () => {
    expect(reasonFor(prepared({ data: concatHex([grantData(), "0xdeadbeef"]) }))).toMatch(
      /4 bytes follow the ABI-encoded grantSessionKey arguments/,
    );
  });

  it("refuses non-canonical encodings: dirty address padding, an out-of-range uint64, truncated arguments", () => {
    const data = grantData();
    // Word 0 is the strategy: set a byte of its zero padding.
    const dirty = `${data.slice(0, 10)}ff${data.slice(12)}` as Hex;
    expect(reasonFor(prepared({ data: dirty }))).toMatch(/not in canonical ABI encoding/);
    // Word 2 is the uint64 expiry: a bit above 64 bits.
    const wordStart = 10 + 2 * 64;
    const wide = `${data.slice(0, wordStart)}01${data.slice(wordStart + 2)}` as Hex;
    expect(reasonFor(prepared({ data: wide }))).toMatch(
      /grantSessionKey arguments are out of range for their ABI types/,
    );
    expect(reasonFor(prepared({ data: data.slice(0, 74) as Hex }))).toMatch(/do not decode as grantSessionKey/);
  });
});
