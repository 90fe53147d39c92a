import { encodeFunctionData, getAddress } from "viem";
import { entryPoint08Abi } from "viem/account-abstraction";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionKeyExecutorAbi, superVaultAbi } from "../../contracts/generated/abis";
import { devAccount } from "../../lib/chain/dev-accounts";
import type { Intent } from "../../lib/defix";
import { errorHint } from "../../lib/defix/error-hints";
import type { ManifestVault } from "../../lib/deployment/manifest";
import { type BundlerInstance, startBundler } from "../../scripts/lib/bundler";
import { nonceKeyOf } from "../chain/user-ops";
import { submission } from "../domain/test-support/intents";
import { DIALECTS } from "../store/test-support/databases";
import { type BundlerProxy, startBundlerProxy } from "./test-support/bundler-proxy";
import { type OmsWorld, poll, startOmsWorld } from "./test-support/oms-world";

/**
 * A first user operation refused in validation, on a real chain and a real alto (docs/ARCHITECTURE.md "Account
 * modes"): the session key is revoked on the account after the OMS's readiness check said ready and before the
 * bundler validates the op. The OMS reaches the bundler through a pass-through proxy that sends the revoke, and waits
 * for its receipt, right before forwarding the first eth_estimateUserOperationGas, so the order is fixed, not timed.
 * The intent ends FAILED USER_OP_REJECTED (AA24, the operator hint points at the canvas) and nothing executes.
 */

const MANAGER_ONE = devAccount(1);
const TERMINAL = ["COMPLETED", "ABORTED", "FAILED", "EXPIRED", "CANCELED"];
const PROXY_PORT = 13_120;
const BUNDLER_PORT = 13_130;

type Event = { message_type: string; payload: Record<string, unknown> };

describe.each(DIALECTS)("EIP4337: a first user op refused in validation, on %s", (dialect) => {
  const offset = DIALECTS.indexOf(dialect);
  let w: OmsWorld;
  let proxy: BundlerProxy;
  let bundler: BundlerInstance;

  beforeAll(async () => {
    proxy = await startBundlerProxy(PROXY_PORT + offset);
    w = await startOmsWorld(dialect, { BUNDLER_URL: proxy.url });
    bundler = await startBundler({
      rpcUrl: w.anvil.rpcUrl,
      entryPoint: w.manifest.contracts.entry_point!,
      port: BUNDLER_PORT + offset,
    });
    proxy.target = bundler.url;
  }, 240_000);
  afterAll(async () => {
    await w?.stop();
    await bundler?.stop();
    await proxy?.stop();
  });

  const api = (method: "GET" | "POST", path: string, body?: unknown) => w.api(method, path, MANAGER_ONE.address, body);

  it.each(["svDELTA", "svEPSILON"])(
    "%s: the key revoked between readiness and the bundler's validation: FAILED USER_OP_REJECTED, nothing executed",
    async (symbol) => {
      const vault = w.manifest.vaults.find((v) => v.symbol === symbol) as ManifestVault;
      const keyBase = `/defix/vaults/${vault.vault_id}/session-key`;
      await w.sendAs(1, (await api("GET", `${keyBase}/grant`)).body);
      const key = await poll(async () => {
        const readiness = (await api("GET", `${keyBase}/readiness`)).body;
        return readiness.is_ready ? (readiness.session_key_address as `0x${string}`) : null;
      }, "readiness");
      const fromBlock = await w.client.getBlockNumber();

      // The manager revokes the key on the account itself (not through the OMS), at the one moment that matters.
      let revokedAtBlock: bigint | null = null;
      proxy.before("eth_estimateUserOperationGas", async () => {
        const data = encodeFunctionData({
          abi: sessionKeyExecutorAbi,
          functionName: "revokeSessionKey",
          args: [vault.strategy, key],
        });
        await w.sendAs(1, { to: vault.key_holder!, data, value: "0" });
        revokedAtBlock = await w.client.getBlockNumber();
      });
      const submitted = await api(
        "POST",
        "/defix/intents",
        submission(w.manifest, vault, { action: "DEPOSIT", sizeExpr: "1000000", strategyId: `refused-${symbol}` }),
      );
      expect(submitted.status).toBe(201);
      const id = submitted.body.id as string;
      const done = await poll(
        async () => {
          const intent = (await api("GET", `/defix/intents/${id}`)).body as Intent;
          return TERMINAL.includes(intent.state) ? intent : null;
        },
        "a terminal state",
        90_000,
      );
      const events = (await api("GET", `/defix/intents/${id}/events`)).body.events as Event[];
      expect(revokedAtBlock, "the revoke ran before the bundler saw the op").not.toBeNull();
      // The OMS found the key ready (no WAITING): the refusal came from the bundler's validation, not readiness.
      expect(events.map((e) => e.message_type)).not.toContain("WAITING");
      expect(done, JSON.stringify(events.at(-1))).toMatchObject({
        state: "FAILED",
        error: { code: "USER_OP_REJECTED" },
      });
      expect(done.error?.message).toContain("AA24");
      expect(errorHint("USER_OP_REJECTED")).toMatchObject({ action: "canvas", hint: expect.stringContaining("AA24") });
      expect(events.map((e) => e.message_type)).not.toContain("TX_MINED");

      // Nothing executed: the intent's EntryPoint lane is unused, no user op of the account, no hook, no fill.
      const lane = nonceKeyOf(id);
      const sender = getAddress(vault.key_holder!);
      const entryPoint = w.manifest.contracts.entry_point!;
      const nonce = await w.client.readContract({
        address: entryPoint,
        abi: entryPoint08Abi,
        functionName: "getNonce",
        args: [sender, lane],
      });
      expect(nonce).toBe(lane << 64n);
      const ops = await w.client.getContractEvents({
        address: entryPoint,
        abi: entryPoint08Abi,
        eventName: "UserOperationEvent",
        args: { sender },
        fromBlock,
      });
      expect(ops).toEqual([]);
      const hooks = await w.client.getContractEvents({
        address: vault.address,
        abi: superVaultAbi,
        eventName: "HookExecuted",
        fromBlock,
      });
      expect(hooks).toEqual([]);
      expect((await api("GET", `/defix/intents/${id}/fills`)).body.fills).toEqual([]);
    },
    120_000,
  );
});
