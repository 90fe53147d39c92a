"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { UnpausePanel } from "@/components/canvas/unpause-panel";
import { useAnnounceChange } from "@/components/layout/use-announce-change";
import { Button } from "@/components/ui/button";
import type { Role } from "@/lib/defix/common";
import type { Readiness } from "@/lib/defix/session-keys";
import { shortHex } from "@/lib/format/hex";
import { DelegationPanel } from "./delegation-panel";
import { type GateState, gateStateFor } from "./gate-state";
import { KeyFlowPanel } from "./key-flow-panel";
import { PendingRotationActions } from "./pending-rotation-actions";
import { usePrimaryManager, type VaultWalletTarget } from "./wallet-check";

interface OmsCanvasGateProps {
  vaultId: string;
  role: Role;
  target: VaultWalletTarget;
  readiness: UseQueryResult<Readiness>;
  onSigningOpenChange: (isOpen: boolean) => void;
  children: ReactNode;
}

const ROLE_NAME: Record<Role, string> = {
  PRIMARY_MANAGER: "the primary manager",
  SECONDARY_MANAGER: "a secondary manager",
  VIEW_ONLY: "a view-only user",
};

/**
 * omsCanvasGate: while the vault's session key is not ready, an overlay covers the canvas and its
 * controls are inert, so nothing can be started that could not run. The overlay says why and offers
 * the one action that fixes it.
 */
export function OmsCanvasGate({ vaultId, role, target, readiness, onSigningOpenChange, children }: OmsCanvasGateProps) {
  const titleId = useId();
  const state: GateState | null = readiness.data ? gateStateFor(readiness.data) : null;
  const isBlocked = state?.isBlocked ?? true;
  useAnnounceChange(readiness.data === undefined ? null : isBlocked, (wasBlocked, nowBlocked) =>
    wasBlocked === true && nowBlocked === false
      ? "Session key active: the gate lifted and the canvas is unlocked."
      : wasBlocked === false && nowBlocked === true
        ? `The canvas is locked: ${state?.title ?? "the session key is not ready"}.`
        : null,
  );
  return (
    <div className="relative min-h-96">
      <div inert={isBlocked} aria-hidden={isBlocked} className={isBlocked ? "opacity-40 blur-[1px]" : undefined}>
        {children}
      </div>
      {isBlocked ? (
        <div className="absolute inset-0 z-10 flex items-start justify-center bg-zinc-50/60 p-6">
          <section
            aria-labelledby={titleId}
            data-testid="canvas-gate"
            className="w-full max-w-lg rounded-lg border border-zinc-200 bg-surface p-5 shadow-lg"
          >
            {state ? (
              <>
                <h2 id={titleId} className="text-base font-semibold text-zinc-900">
                  {state.title}
                </h2>
                <p className="mt-1 text-sm text-zinc-600">{state.detail}</p>
                <div className="mt-4">
                  <GateAction
                    state={state}
                    role={role}
                    vaultId={vaultId}
                    target={target}
                    currentKey={readiness.data?.session_key_address ?? null}
                    onRetry={() => readiness.refetch()}
                    onSigningOpenChange={onSigningOpenChange}
                  />
                </div>
              </>
            ) : (
              <GateLoading titleId={titleId} readiness={readiness} />
            )}
          </section>
        </div>
      ) : null}
    </div>
  );
}

function GateLoading({ titleId, readiness }: { titleId: string; readiness: UseQueryResult<Readiness> }) {
  if (readiness.isError) {
    return (
      <>
        <h2 id={titleId} className="text-base font-semibold text-zinc-900">
          The session key could not be checked
        </h2>
        <p role="alert" className="mt-1 text-sm text-rose-800">
          {readiness.error.message}
        </p>
        <Button className="mt-4" onClick={() => readiness.refetch()} disabled={readiness.isFetching}>
          {readiness.isFetching ? "Retrying…" : "Retry"}
        </Button>
      </>
    );
  }
  return (
    <h2 id={titleId} role="status" className="text-base font-semibold text-zinc-700">
      Checking the session key…
    </h2>
  );
}

function GateAction(props: {
  state: GateState;
  role: Role;
  vaultId: string;
  target: VaultWalletTarget;
  currentKey: `0x${string}` | null;
  onRetry: () => void;
  onSigningOpenChange: (isOpen: boolean) => void;
}) {
  const primary = usePrimaryManager(props.target);
  if (props.state.action === "retry") return <Button onClick={props.onRetry}>Retry</Button>;
  if (props.role !== "PRIMARY_MANAGER" && props.state.action === "unpause") {
    // A guardian (or any other member) may have paused; lifting it is the primary manager's alone, on-chain too.
    return (
      <p className="rounded-md bg-zinc-100 p-3 text-sm text-zinc-700" data-testid="gate-not-primary">
        You are signed in as {ROLE_NAME[props.role]}. Only the primary manager <code>{shortHex(primary)}</code> can
        unpause this vault's automation.
      </p>
    );
  }
  if (props.role !== "PRIMARY_MANAGER") {
    return (
      <p className="rounded-md bg-zinc-100 p-3 text-sm text-zinc-700" data-testid="gate-not-primary">
        You are signed in as {ROLE_NAME[props.role]}. Only the primary manager <code>{shortHex(primary)}</code> can
        grant or rotate this vault's session key.
      </p>
    );
  }
  if (props.state.action === "unpause") return <UnpausePanel vaultId={props.vaultId} target={props.target} />;
  if (props.state.action === "delegate") return <DelegationPanel vaultId={props.vaultId} target={props.target} />;
  if (props.state.action === "rotation") return <PendingRotationActions vaultId={props.vaultId} />;
  if (props.state.action === "rotate") {
    return (
      <KeyFlowPanel
        operation="rotation"
        vaultId={props.vaultId}
        target={props.target}
        currentKey={props.currentKey}
        onOpenChange={props.onSigningOpenChange}
      />
    );
  }
  return (
    <KeyFlowPanel
      operation="grant"
      vaultId={props.vaultId}
      target={props.target}
      currentKey={props.currentKey}
      onOpenChange={props.onSigningOpenChange}
    />
  );
}
