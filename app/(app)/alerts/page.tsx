import type { Metadata } from "next";
import { AlertHistory } from "@/components/alerts/alert-history";
import { AlertSettingsSection } from "@/components/alerts/alert-settings";

export const metadata: Metadata = { title: "Alerts · DeFiX console" };

// /alerts – every alert of the user's vaults, open and resolved, newest first; then the managed vaults' thresholds
export default function AlertsPage() {
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <AlertHistory />
      <AlertSettingsSection />
    </div>
  );
}
