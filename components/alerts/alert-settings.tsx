"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useAnnounce } from "@/components/layout/announcer";
import { useVaultNames } from "@/components/layout/vault-names";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LoadError } from "@/components/ui/load-error";
import { SkeletonRows } from "@/components/ui/skeleton-rows";
import { FailureText } from "@/components/webhooks/failure-text";
import type { AlertSettings } from "@/lib/defix/alerts";
import { alertSettingsOptions, putAlertSettings } from "@/lib/query/alerts";
import { queryKeys } from "@/lib/query/keys";
import { isManagerRole, meOptions } from "@/lib/query/vaults";
import { AlertSettingsForm } from "./alert-settings-form";

/**
 * The alerts page's thresholds section: one vault at a time among those the user manages. Managers see
 * the effective values; only the primary manager edits them (the OMS enforces it too).
 */
export function AlertSettingsSection() {
  const me = useQuery(meOptions());
  const nameOf = useVaultNames();
  const selectId = useId();
  const managed = (me.data?.vaults ?? []).filter((vault) => isManagerRole(vault.role));
  const [chosen, setChosen] = useState<string | null>(null);
  const vault = managed.find((candidate) => candidate.vault_id === chosen) ?? managed[0];

  if (me.isPending) return null;
  if (me.isError) return null; // The shell already says when the vault list cannot be read.
  if (!vault) return null; // View-only users have no thresholds to see.
  return (
    <Card aria-labelledby={`${selectId}-title`} data-testid="alert-settings">
      <CardHeader
        id={`${selectId}-title`}
        title="Alert thresholds"
        actions={
          managed.length > 1 ? (
            <label className="flex items-center gap-2 text-sm">
              Vault
              <select
                value={vault.vault_id}
                onChange={(event) => setChosen(event.target.value)}
                className="rounded-md border border-zinc-300 bg-surface px-2 py-1 text-sm"
              >
                {managed.map((candidate) => (
                  <option key={candidate.vault_id} value={candidate.vault_id}>
                    {nameOf(candidate.vault_id)}
                  </option>
                ))}
              </select>
            </label>
          ) : null
        }
      />
      <CardBody>
        <VaultThresholds
          key={vault.vault_id}
          vaultId={vault.vault_id}
          vaultName={nameOf(vault.vault_id)}
          canEdit={vault.role === "PRIMARY_MANAGER"}
        />
      </CardBody>
    </Card>
  );
}

function VaultThresholds(props: { vaultId: string; vaultName: string; canEdit: boolean }) {
  const client = useQueryClient();
  const announce = useAnnounce();
  const settings = useQuery(alertSettingsOptions(props.vaultId));
  const save = useMutation({
    mutationFn: (next: AlertSettings) => putAlertSettings(props.vaultId, next),
    onSuccess: (stored) => {
      client.setQueryData(queryKeys.alerts.settings(props.vaultId), stored);
      announce(`Alert thresholds of ${props.vaultName} saved`);
    },
  });
  if (settings.isPending) return <SkeletonRows rows={3} />;
  if (settings.isError)
    return <LoadError error={settings.error} onRetry={() => settings.refetch()} what="the alert thresholds" />;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-zinc-700">
        When the OMS raises alerts for <span className="font-medium">{props.vaultName}</span>.{" "}
        {props.canEdit
          ? "Changes apply at the next evaluation, within a minute."
          : "Only the vault's primary manager can change them."}
      </p>
      <AlertSettingsForm
        // The stored values (after a save, a refetch) replace what was typed.
        key={JSON.stringify(settings.data)}
        settings={settings.data}
        canEdit={props.canEdit}
        isBusy={save.isPending}
        onSubmit={(next) => save.mutate(next)}
      />
      {save.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Not saved: <FailureText error={save.error} />
        </p>
      ) : null}
      {save.isSuccess ? (
        <p role="status" className="text-sm text-emerald-700">
          Saved.
        </p>
      ) : null}
    </div>
  );
}
