import {
  type Address,
  type DecodeFunctionDataReturnType,
  decodeFunctionData,
  encodeFunctionData,
  type Hex,
  isAddressEqual,
  toFunctionSelector,
} from "viem";
import { sessionKeyExecutorAbi } from "../../contracts/generated/abis";
import { ErrorCode } from "../defix/errors";
import type { PreparedTransaction } from "../defix/session-keys";
import { describePermissions, type PermissionWords } from "./key-permissions";

export type KeyAction = "grant" | "rotation" | "revoke";

export interface PreparedTxExpectation {
  action: KeyAction;
  chainId: number;
  /**
   * The contract holding the vault's session keys (the deployment's SessionKeyExecutor in OMS mode, the
   * mode's key holder otherwise), from the manifest the dashboard server read.
   */
  executor: Address;
  /** Its contract name for the decoded preview; default SessionKeyExecutor. */
  holderName?: string;
  /** The vault's on-chain strategy (our vault is its own strategy). */
  strategy: Address;
  /** For a rotation: the key readiness reports active now, which the rotation must replace. */
  currentKey: Address | null;
  /** The lifetime the manager picked; null for a revoke. */
  requestedSeconds: number | null;
  /** The most ETH a grant or rotation may take from the manager's wallet for the key's gas. */
  maxStipendWei: bigint;
  now: Date;
}

export type KeyFunction = "grantSessionKey" | "rotateSessionKey" | "revokeSessionKey";

export interface KeyTxSummary {
  contract: { name: string; address: Address };
  functionName: KeyFunction;
  strategy: Address;
  /** The key granted (grant, rotation) or revoked. */
  key: Address;
  /** The key a rotation revokes in the same transaction. */
  replacedKey: Address | null;
  expiry: Date | null;
  permissions: PermissionWords | null;
  /** Wei that leaves the manager's wallet; the executor forwards it to the key. */
  valueWei: bigint;
  /** Exactly what the wallet is asked to send: the checked transaction, nothing rebuilt. */
  tx: { to: Address; data: Hex; value: bigint; chainId: number };
}

export type PreparedTxCheck =
  | { ok: true; summary: KeyTxSummary }
  | { ok: false; code: typeof ErrorCode.PREPARED_TX_REJECTED; reason: string };

/** The OMS accepts `requested_expiry` up to 30 days. */
export const MAX_KEY_LIFETIME_SECONDS = 30 * 86_400;
/** Expiries are chain time and the check runs on the browser's clock; an hour absorbs the difference. */
export const CLOCK_SKEW_SECONDS = 3_600;

const EXPECTED: Record<KeyAction, readonly KeyFunction[]> = {
  grant: ["grantSessionKey"],
  // The OMS falls back to a plain grant when the chain never saw the old key (e.g. a reset dev chain).
  rotation: ["rotateSessionKey", "grantSessionKey"],
  revoke: ["revokeSessionKey"],
};

class Refusal extends Error {}

/** The console's convention (`lib/defix` Address): lower case, whatever case the decoder or manifest used. */
const lower = (address: Address) => address.toLowerCase() as Address;

const holderName = (expect: PreparedTxExpectation) => expect.holderName ?? "SessionKeyExecutor";

function refuse(reason: string): never {
  throw new Refusal(reason);
}

/**
 * The browser's own check of the `{to, data, value}` the OMS prepared for a key change, before the
 * wallet is asked to sign it: a compromised OMS must not get a manager to sign arbitrary calldata.
 * Everything it trusts comes from the console (the deployment manifest, the manager's choices), never
 * from the transaction it checks.
 */
export function checkPreparedTransaction(
  prepared: PreparedTransaction,
  expect: PreparedTxExpectation,
): PreparedTxCheck {
  try {
    return { ok: true, summary: summarize(prepared, expect) };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { ok: false, code: ErrorCode.PREPARED_TX_REJECTED, reason: error.message };
  }
}

function summarize(prepared: PreparedTransaction, expect: PreparedTxExpectation): KeyTxSummary {
  if (prepared.chain_id !== expect.chainId) {
    refuse(`it is for chain ${prepared.chain_id}, but this vault is on chain ${expect.chainId}`);
  }
  if (!isAddressEqual(prepared.to, expect.executor)) {
    refuse(`it is addressed to ${prepared.to}, not to this deployment's ${holderName(expect)} ${expect.executor}`);
  }
  const { call, isPayable } = decodeCall(prepared.data);
  const expected = EXPECTED[expect.action];
  if (!isKeyCall(call) || !expected.includes(call.functionName)) {
    refuse(`it calls ${call.functionName}, but a ${expect.action} must call ${expected.join(" or ")}`);
  }
  const value = BigInt(prepared.value);
  if (value > 0n && !isPayable) refuse(`it sends ${value} wei with ${call.functionName}, which is not payable`);
  const strategy = lower(call.args[0]);
  if (!isAddressEqual(strategy, expect.strategy)) {
    refuse(`it changes the key of strategy ${strategy}, not of this vault (${expect.strategy})`);
  }
  const base = {
    contract: { name: holderName(expect), address: lower(expect.executor) },
    functionName: call.functionName,
    strategy,
    valueWei: value,
    tx: { to: lower(expect.executor), data: prepared.data, value, chainId: expect.chainId },
  };
  if (call.functionName === "revokeSessionKey") {
    const key = lower(call.args[1]);
    checkAnnouncedKey(key, prepared.session_key_address);
    return { ...base, key, replacedKey: null, expiry: null, permissions: null };
  }
  const granted =
    call.functionName === "rotateSessionKey"
      ? { replacedKey: lower(call.args[1]), key: lower(call.args[2]), expiry: call.args[3], permissions: call.args[4] }
      : { replacedKey: null, key: lower(call.args[1]), expiry: call.args[2], permissions: call.args[3] };
  checkAnnouncedKey(granted.key, prepared.session_key_address);
  if (granted.replacedKey) checkReplacedKey(granted.replacedKey, granted.key, expect.currentKey);
  checkStipend(value, expect.maxStipendWei);
  return {
    ...base,
    key: granted.key,
    replacedKey: granted.replacedKey,
    expiry: checkExpiry(granted.expiry, prepared.expires_at, expect),
    permissions: checkPermissions(granted.permissions),
  };
}

type ExecutorCall = DecodeFunctionDataReturnType<typeof sessionKeyExecutorAbi>;
type KeyCall = Extract<ExecutorCall, { functionName: KeyFunction }>;

function isKeyCall(call: ExecutorCall): call is KeyCall {
  return (Object.values(EXPECTED) as KeyFunction[][]).flat().includes(call.functionName as KeyFunction);
}

function decodeCall(data: Hex): { call: ExecutorCall; isPayable: boolean } {
  if (data.length < 10) refuse("it carries no function selector");
  const selector = data.slice(0, 10) as Hex;
  const fn = sessionKeyExecutorAbi.find((item) => item.type === "function" && toFunctionSelector(item) === selector);
  if (fn?.type !== "function") refuse(`its function selector ${selector} is not a SessionKeyExecutor function`);
  let call: ExecutorCall;
  try {
    call = decodeFunctionData({ abi: sessionKeyExecutorAbi, data });
  } catch {
    refuse(`its arguments do not decode as ${fn.name}`);
  }
  checkCanonical(data, call);
  // The ABI, not a list kept here, says whether ETH may ride along.
  return { call, isPayable: fn.stateMutability === "payable" };
}

/**
 * The decoder reads what it needs and ignores the rest; re-encoding shows whether the bytes hold
 * anything else (appended data, dirty padding, an out-of-range uint64) a contract might read differently.
 */
function checkCanonical(data: Hex, call: ExecutorCall) {
  let canonical: Hex;
  try {
    canonical = encodeFunctionData({ abi: sessionKeyExecutorAbi, ...call } as Parameters<typeof encodeFunctionData>[0]);
  } catch {
    refuse(`its ${call.functionName} arguments are out of range for their ABI types`);
  }
  const bytes = data.toLowerCase();
  if (canonical === bytes) return;
  if (bytes.startsWith(canonical)) {
    refuse(`${(bytes.length - canonical.length) / 2} bytes follow the ABI-encoded ${call.functionName} arguments`);
  }
  refuse(`its ${call.functionName} arguments are not in canonical ABI encoding`);
}

function checkAnnouncedKey(key: Address, announced: Address | null) {
  if (!announced) refuse("the OMS did not say which session key the transaction is for");
  if (!isAddressEqual(key, announced)) refuse(`it names key ${key}, but the OMS announced key ${announced}`);
}

function checkReplacedKey(replaced: Address, key: Address, current: Address | null) {
  if (!current) refuse("it revokes a key, but this vault has no active key to rotate");
  if (!isAddressEqual(replaced, current)) {
    refuse(`it revokes key ${replaced}, but the vault's active key is ${current}`);
  }
  if (isAddressEqual(replaced, key)) refuse("it rotates the key to itself");
}

function checkStipend(value: bigint, max: bigint) {
  if (value > max)
    refuse(`it takes ${value} wei from your wallet for the key, above this console's ceiling of ${max} wei`);
}

function checkExpiry(expiry: bigint, announced: string | null, expect: PreparedTxExpectation): Date {
  const now = Math.floor(expect.now.getTime() / 1000);
  if (expiry <= BigInt(now)) refuse(`its expiry ${isoOrRaw(expiry)} is not in the future`);
  const lifetime = Math.min(expect.requestedSeconds ?? MAX_KEY_LIFETIME_SECONDS, MAX_KEY_LIFETIME_SECONDS);
  if (expiry > BigInt(now + lifetime + CLOCK_SKEW_SECONDS)) {
    refuse(`its expiry ${isoOrRaw(expiry)} is later than the ${formatLifetime(lifetime)} you chose`);
  }
  const at = new Date(Number(expiry) * 1000);
  if (!announced || Date.parse(announced) !== at.getTime()) {
    refuse(`its expiry ${at.toISOString()} differs from the expiry the OMS announced (${announced ?? "none"})`);
  }
  return at;
}

function checkPermissions(bits: bigint): PermissionWords {
  const words = describePermissions(bits);
  if (words.unknownBits.length > 0) refuse(`it grants unknown permission bits (${words.unknownBits.join(", ")})`);
  if (!words.canExecuteHooks) refuse("the key would not hold the Execute hooks permission automation needs");
  return words;
}

/** A uint64 of seconds can lie beyond what a Date holds; such a value is shown raw. */
function isoOrRaw(seconds: bigint): string {
  const ms = Number(seconds) * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${seconds} (unix seconds)`;
}

function formatLifetime(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400} days` : `${Math.round(seconds / 3_600)} hours`;
}
