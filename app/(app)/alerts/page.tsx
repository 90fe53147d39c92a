import type { Metadata } from "next";
import { AlertHistory } from "@/components/alerts/alert-history";

export const metadata: Metadata = { title: "Alerts · DeFiX console" };

// /alerts – every alert of the user's vaults, open and resolved, newest first
export default function AlertsPage() {
  return <AlertHistory />;
}
