import { SkeletonRows } from "@/components/intents/ui/skeleton";

export default function IntentsLoading() {
  return <SkeletonRows rows={12} label="Loading intents" />;
}
