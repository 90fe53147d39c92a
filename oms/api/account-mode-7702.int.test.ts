import { createWalletClient, getAddress, http, parseEventLogs, zeroAddress } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { superVaultAbi } from "../../contracts/generated/abis";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { Intent } from "../../lib/defix";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { submission } from "../domain/test-support/intents";
import { delegationCode } from "../keys/delegation";
import { DIALECTS } from "../store/test-support/databases";
import { type OmsWorld, poll, startOmsWorld } from "./test-support/oms-world";

/**
 * EIP7702 end to end over HTTP (docs/ARCHITECTURE.md, "Account modes"): svZETA's strategy EOA (manager two's own
 * address) delegates to SessionKey7702Account, the key is granted on the EOA, and an EIP7702 intent is sent by
 * the session key through the EOA and completes with fills from the receipt.
 */

const MANAGER_TWO = devAccount(2);
const TERMINAL = ["COMPLETED", "ABORTED", "FAILED", "EXPIRED", "CANCELED"];

describe.each(DIALECTS)("EIP7702 account mode on %s", (dialect) => {
  let w: OmsWorld;
  let zeta: ManifestVault;

  beforeAll(async () => {
    w = await startOmsWorld(dialect);
    zeta = w.manifest.vaults.find((vault) => vault.symbol === "svZETA")!;
  });
  afterAll(async () => w?.stop());

  const api = (method: "GET" | "POST", path: string, body?: unknown) => w.api(method, path, MANAGER_TWO.address, body);

  /** What the canvas does with the manager's wallet: sign an authorization and send it in a type-4 transaction. */
  async function delegate(implementation: `0x${string}`) {
    const wallet = createWalletClient({ account: MANAGER_TWO, chain: foundry, transport: http(w.anvil.rpcUrl) });
    const authorization = await wallet.signAuthorization({ contractAddress: implementation, executor: "self" });
    const hash = await wallet.sendTransaction({ to: MANAGER_TWO.address, authorizationList: [authorization] });
    expect((await w.client.waitForTransactionReceipt({ hash })).status).toBe("success");
  }

  const keyBase = () => `/defix/vaults/${zeta.vault_id}/session-key`;
  const terminal = (id: string) =>
    poll(async () => {
      const intent = (await api("GET", `/defix/intents/${id}`)).body as Intent;
      return TERMINAL.includes(intent.state) ? intent : null;
    }, "a terminal state");

  it("needs the delegation, then runs an EIP7702 intent through the EOA to COMPLETED with fills from the receipt", async () => {
    expect((await api("GET", `${keyBase()}/readiness`)).body.reason).toBe("DELEGATION_MISSING");
    const early = await api("GET", `${keyBase()}/grant`);
    expect([early.status, early.body.error.code]).toEqual([409, "DELEGATION_MISSING"]);

    await delegate(w.manifest.contracts.account_7702!);
    expect(await w.client.getCode({ address: zeta.delegate_eoa! })).toBe(
      delegationCode(w.manifest.contracts.account_7702!),
    );
    const grant = await api("GET", `${keyBase()}/grant`);
    expect(grant.status).toBe(200);
    expect(grant.body.to).toBe(zeta.delegate_eoa);
    await w.sendAs(2, grant.body);
    await poll(async () => ((await api("GET", `${keyBase()}/readiness`)).body.is_ready ? true : null), "readiness");

    const intent = { ...submission(w.manifest, zeta, { action: "DEPOSIT", sizeExpr: "1000000" }) };
    expect(intent.account_mode).toBe("EIP7702");
    const wrongMode = await api("POST", "/defix/intents", { ...intent, account_mode: "OMS" });
    expect([wrongMode.status, wrongMode.body.error.code]).toEqual([400, "ACCOUNT_MODE_NOT_SUPPORTED_BY_VAULT"]);
    const submitted = await api("POST", "/defix/intents", { ...intent, account_mode: "EIP7702" });
    expect(submitted.status).toBe(201);
    expect(await terminal(submitted.body.id)).toMatchObject({ state: "COMPLETED", account_mode: "EIP7702" });

    const fills = (await api("GET", `/defix/intents/${submitted.body.id}/fills`)).body.fills;
    expect(fills).toHaveLength(1);
    const receipt = await w.client.getTransactionReceipt({ hash: fills[0].tx_hash });
    expect(receipt.status).toBe("success");
    // One transaction, from the session key to the delegated EOA; the vault's HookExecuted is the fill.
    expect(getAddress(receipt.to!)).toBe(getAddress(zeta.delegate_eoa!));
    expect(receipt.from).toBe(grant.body.session_key_address);
    const [executed] = parseEventLogs({ abi: superVaultAbi, eventName: "HookExecuted", logs: receipt.logs });
    expect(executed!.args.amountIn).toBe(1_000_000n);
    expect(String(fills[0].gas_used)).toBe(receipt.gasUsed.toString());
  });

  it("an undelegated EOA holds the intent with readiness DELEGATION_MISSING instead of sending", async () => {
    await delegate(zeroAddress);
    expect((await api("GET", `${keyBase()}/readiness`)).body.reason).toBe("DELEGATION_MISSING");
    const body = submission(w.manifest, zeta, { action: "DEPOSIT", sizeExpr: "1000", strategyId: "undelegated" });
    const submitted = await api("POST", "/defix/intents", { ...body, account_mode: "EIP7702" });
    expect(submitted.status).toBe(201);
    const waiting = await poll(async () => {
      const events = (await api("GET", `/defix/intents/${submitted.body.id}/events`)).body.events as Array<{
        message_type: string;
        payload: { readiness_reason?: string };
      }>;
      return events.find((event) => event.message_type === "WAITING") ?? null;
    }, "a WAITING event");
    expect(waiting.payload.readiness_reason).toBe("DELEGATION_MISSING");
    expect((await api("POST", `/defix/intents/${submitted.body.id}/cancel`)).body.state).toBe("CANCELED");
  });
});
