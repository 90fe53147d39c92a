import { SkeletonRows } from "@/components/intents/ui/skeleton-rows";

export default function IntentDetailLoading() {
  return <SkeletonRows rows={8} label="Loading intent" />;
}
