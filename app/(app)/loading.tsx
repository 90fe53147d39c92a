import { SkeletonRows } from "@/components/intents/ui/skeleton";

export default function OverviewLoading() {
  return <SkeletonRows rows={4} label="Loading overview" />;
}
