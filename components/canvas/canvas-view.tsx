"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { OmsCanvasGate } from "@/components/session-keys/canvas-gate";
import { VaultDelegationStatus } from "@/components/session-keys/delegation-panel";
import { SessionKeyHistoryPanel } from "@/components/session-keys/history-panel";
import { KeyStatusBar } from "@/components/session-keys/key-status-bar";
import type { VaultWalletTarget } from "@/components/session-keys/wallet-check";
import type { Role } from "@/lib/defix/common";
import { readinessOptions } from "@/lib/query/session-keys";
import { ConnectButton } from "@/lib/wallet/connect-button";
import { StrategyCanvas } from "./strategy-canvas";
import { useOutcomeRefresh } from "./use-outcome-refresh";

export interface CanvasVault {
  vaultId: string;
  name: string;
  role: Role;
  target: VaultWalletTarget;
}

/** The Strategy Canvas: key status, then the lanes behind the gate, then the key's audit trail. */
export function CanvasView({ vaultId, name, role, target }: CanvasVault) {
  const [isSigningOpen, setSigningOpen] = useState(false);
  const readiness = useQuery(readinessOptions(vaultId, { isSigningOpen }));
  useOutcomeRefresh(vaultId);
  const canManage = role === "PRIMARY_MANAGER" || role === "SECONDARY_MANAGER";
  return (
    <div className="flex flex-col gap-4">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold text-zinc-900">{name}: Strategy Canvas</h1>
          <p className="font-mono text-xs text-zinc-600">{vaultId}</p>
        </div>
        <ConnectButton showBalance={false} chainStatus="icon" accountStatus="address" />
      </header>
      {target.account?.delegation && readiness.data?.is_ready ? (
        <VaultDelegationStatus vaultId={vaultId} target={target} />
      ) : null}
      {readiness.data?.is_ready ? (
        <KeyStatusBar
          vaultId={vaultId}
          role={role}
          target={target}
          readiness={readiness.data}
          onSigningOpenChange={setSigningOpen}
        />
      ) : null}
      <OmsCanvasGate
        vaultId={vaultId}
        role={role}
        target={target}
        readiness={readiness}
        onSigningOpenChange={setSigningOpen}
      >
        <StrategyCanvas
          vaultId={vaultId}
          canManage={canManage}
          primaryTarget={role === "PRIMARY_MANAGER" ? target : undefined}
          account={target.account}
        />
      </OmsCanvasGate>
      <SessionKeyHistoryPanel vaultId={vaultId} />
    </div>
  );
}
