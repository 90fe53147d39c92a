"use client";

import { useAccount } from "wagmi";
import { Button } from "@/components/ui/button";
import { ShortHex } from "@/components/ui/short-hex";
import { ReviewRow as Row, SigningReview } from "@/components/ui/signing-review";
import type { AuthorizationRequest } from "@/lib/wallet/authorization";
import type { DelegationStatus } from "./delegation-state";
import { type DelegationPhase, useDelegation } from "./use-delegation";
import { type VaultWalletTarget, WalletCheck } from "./wallet-check";

/**
 * The gate's action for an EIP7702 vault whose strategy EOA is not delegated: the live eth_getCode
 * state, then the decoded authorization, then the wallet (sign, then send it in a type-4 transaction).
 */
export function DelegationPanel({ vaultId, target }: { vaultId: string; target: VaultWalletTarget }) {
  const flow = useDelegation(vaultId, target);
  const { address } = useAccount();
  if (!flow.delegation) {
    return <p className="text-sm text-rose-800">The deployment names no strategy EOA or account implementation.</p>;
  }
  const { eoa } = flow.delegation;
  const isBusy = flow.phase.step !== "idle" && flow.phase.step !== "error" && flow.phase.step !== "done";
  return (
    <div className="flex flex-col gap-3" data-testid="delegation-flow">
      <DelegationStatusLine status={flow.status} isChecking={flow.isChecking} eoa={eoa} />
      <WalletCheck target={target}>
        {address?.toLowerCase() !== eoa.toLowerCase() ? (
          <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            Only the strategy EOA <ShortHex value={eoa} /> can sign its own delegation. Switch to it in your wallet.
          </p>
        ) : (
          <div>
            <Button variant="primary" disabled={isBusy} onClick={() => void flow.prepare()}>
              {flow.phase.step === "error" ? "Try again: delegate the strategy EOA" : "Delegate the strategy EOA"}
            </Button>
          </div>
        )}
        {flow.phase.step === "reviewing" ? (
          <AuthorizationReview
            eoa={eoa}
            chainName={target.chainName}
            authorization={flow.phase.authorization}
            onConfirm={(authorization) => void flow.confirm(authorization)}
            onCancel={flow.reset}
          />
        ) : null}
      </WalletCheck>
      <DelegationFlowStatus phase={flow.phase} />
    </div>
  );
}

/** The canvas's standing line for an EIP7702 vault: is the delegation in place on-chain right now. */
export function VaultDelegationStatus({ vaultId, target }: { vaultId: string; target: VaultWalletTarget }) {
  const flow = useDelegation(vaultId, target);
  if (!flow.delegation) return null;
  return <DelegationStatusLine status={flow.status} isChecking={flow.isChecking} eoa={flow.delegation.eoa} />;
}

/** Whether the strategy EOA's code is the delegation designator of the account implementation. */
export function DelegationStatusLine({
  status,
  isChecking,
  eoa,
}: {
  status: DelegationStatus | null;
  isChecking: boolean;
  eoa: `0x${string}`;
}) {
  const text =
    status === null
      ? isChecking
        ? "Checking the strategy EOA's delegation…"
        : "The strategy EOA's code could not be read."
      : status.kind === "delegated"
        ? "Delegation in place: the strategy EOA's code is 0xef0100 || the account implementation."
        : status.kind === "missing"
          ? "Not delegated: the strategy EOA has no code."
          : status.kind === "other"
            ? `Delegated to another contract (${status.target}), not to the account implementation.`
            : "The strategy address holds contract code, not an EIP-7702 delegation.";
  return (
    <p role="status" data-testid="delegation-status" data-delegation={status?.kind ?? "unknown"} className="text-sm">
      <span className="text-zinc-600">
        Strategy EOA <ShortHex value={eoa} />:{" "}
      </span>
      <span className={status?.kind === "delegated" ? "text-emerald-800" : "text-amber-900"}>{text}</span>
    </p>
  );
}

function AuthorizationReview(props: {
  eoa: `0x${string}`;
  chainName: string;
  authorization: AuthorizationRequest;
  onConfirm: (authorization: AuthorizationRequest) => void;
  onCancel: () => void;
}) {
  const { authorization } = props;
  return (
    <SigningReview
      title="EIP-7702 authorization"
      testId="authorization-review"
      onConfirm={() => props.onConfirm(authorization)}
      onCancel={props.onCancel}
    >
      <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
        <Row label="Account">
          <code className="break-all font-mono text-xs">{props.eoa}</code> (your strategy EOA)
        </Row>
        <Row label="Delegates to">
          SessionKey7702Account <code className="break-all font-mono text-xs">{authorization.address}</code>
        </Row>
        <Row label="Chain">
          {props.chainName} ({authorization.chainId})
        </Row>
        <Row label="Nonce">{authorization.nonce}</Row>
        <Row label="Then">
          Your wallet sends it in a type-4 transaction to your own address: gas only, no ETH leaves your wallet.
        </Row>
      </dl>
      <p className="mt-2 text-xs text-zinc-600">
        The account code lets only this vault's session keys execute the hooks the vault's root allows; the EOA keeps
        working as a normal account.
      </p>
    </SigningReview>
  );
}

const PHASE_TEXT: Partial<Record<DelegationPhase["step"], string>> = {
  preparing: "Reading the strategy EOA's nonce…",
  signing: "Sign the authorization in your wallet…",
  sending: "Confirm the type-4 transaction in your wallet…",
  finishing: "Mined. Waiting for the OMS to see the delegation…",
  done: "Delegated. Now grant a session key.",
};

function DelegationFlowStatus({ phase }: { phase: DelegationPhase }) {
  if (phase.step === "error") {
    return (
      <p role="alert" data-error-kind={phase.error.kind} className="rounded-md bg-rose-50 p-2 text-sm text-rose-800">
        {phase.error.message}
      </p>
    );
  }
  const text = phase.step === "confirming" ? `Sent ${phase.hash}. Waiting for it to be mined…` : PHASE_TEXT[phase.step];
  if (!text) return null;
  return (
    <p role="status" aria-live="polite" className="text-sm text-zinc-700">
      {text}
    </p>
  );
}
