"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { useAccount, useBytecode, usePublicClient, useSendTransaction } from "wagmi";
import {
  type AuthorizationRequest,
  isEip1193,
  isUnsupportedMethod,
  requestAuthorization,
} from "@/lib/wallet/authorization";
import { type DelegationStatus, delegationStatus } from "./delegation-state";
import { waitForReadiness } from "./readiness-sync";
import type { VaultWalletTarget } from "./wallet-check";
import { classifyFlowError, type FlowError } from "./wallet-errors";

export type DelegationPhase =
  | { step: "idle" }
  | { step: "preparing" }
  | { step: "reviewing"; authorization: AuthorizationRequest }
  | { step: "signing" }
  | { step: "sending" }
  | { step: "confirming"; hash: `0x${string}` }
  | { step: "finishing"; hash: `0x${string}` }
  | { step: "done"; hash: `0x${string}` }
  | { step: "error"; error: FlowError };

const RECEIPT_TIMEOUT_MS = 60_000;
/** The designator shows in eth_getCode at once; poll slowly so a delegation made elsewhere shows too. */
const CODE_POLL_MS = 10_000;

/**
 * EIP-7702 delegation of the vault's strategy EOA: its live state (eth_getCode), and the flow that
 * fixes it: read the EOA's nonce → show the decoded authorization → the wallet signs it → the wallet
 * sends it in a type-4 transaction to itself → mined → readiness agrees.
 */
export function useDelegation(vaultId: string, target: VaultWalletTarget) {
  const delegation = target.account?.delegation ?? null;
  const chainId = target.chainId;
  const queryClient = useQueryClient();
  const publicClient = usePublicClient({ chainId });
  const { connector } = useAccount();
  const { sendTransactionAsync } = useSendTransaction();
  const [phase, setPhase] = useState<DelegationPhase>({ step: "idle" });
  const runId = useRef(0);
  const code = useBytecode({
    address: delegation?.eoa,
    chainId,
    query: { enabled: delegation !== null, refetchInterval: CODE_POLL_MS },
  });
  const status: DelegationStatus | null =
    delegation && code.isSuccess ? delegationStatus(code.data, delegation.implementation) : null;

  const prepare = useCallback(async () => {
    const id = ++runId.current;
    if (!delegation || !publicClient) return;
    try {
      setPhase({ step: "preparing" });
      const pending = await publicClient.getTransactionCount({ address: delegation.eoa, blockTag: "pending" });
      // The EOA sends the type-4 transaction itself: that transaction takes `pending`, so the
      // authorization, processed after the nonce is bumped, must carry the next one.
      const authorization = { address: delegation.implementation, chainId, nonce: pending + 1 };
      if (runId.current === id) setPhase({ step: "reviewing", authorization });
    } catch (error) {
      if (runId.current === id) setPhase({ step: "error", error: classifyFlowError(error) });
    }
  }, [delegation, publicClient, chainId]);

  const confirm = useCallback(
    async (authorization: AuthorizationRequest) => {
      const id = ++runId.current;
      const update = (next: DelegationPhase) => {
        if (runId.current === id) setPhase(next);
      };
      if (!delegation || !publicClient || !connector) return;
      try {
        update({ step: "signing" });
        const provider = await connector.getProvider();
        if (!isEip1193(provider)) throw new Error("The connected wallet exposes no EIP-1193 provider.");
        const signed = await requestAuthorization(provider, delegation.eoa, authorization);
        update({ step: "sending" });
        const hash = await sendTransactionAsync({
          to: delegation.eoa,
          data: "0x",
          authorizationList: [signed],
          chainId,
        });
        update({ step: "confirming", hash });
        const receipt = await publicClient.waitForTransactionReceipt({ hash, timeout: RECEIPT_TIMEOUT_MS });
        if (receipt.status !== "success") throw new Error(`The delegation transaction ${hash} reverted.`);
        update({ step: "finishing", hash });
        await code.refetch();
        await waitForReadiness(queryClient, vaultId, (r) => r.reason !== "DELEGATION_MISSING");
        update({ step: "done", hash });
      } catch (error) {
        update({ step: "error", error: delegationError(error) });
      }
    },
    [delegation, publicClient, connector, sendTransactionAsync, chainId, code, queryClient, vaultId],
  );

  const reset = useCallback(() => {
    runId.current++;
    setPhase({ step: "idle" });
  }, []);

  return { delegation, status, isChecking: code.isPending, checkError: code.error, phase, prepare, confirm, reset };
}

function delegationError(error: unknown): FlowError {
  if (isUnsupportedMethod(error)) {
    return {
      kind: "unknown",
      message:
        "Your wallet cannot sign an EIP-7702 authorization for a site (it has no wallet_signAuthorization). Delegate the strategy EOA with a tool that holds its key, then refresh.",
    };
  }
  return classifyFlowError(error);
}
