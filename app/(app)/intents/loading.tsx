import { SkeletonRows } from "@/components/ui/skeleton-rows";

export default function IntentsLoading() {
  return <SkeletonRows rows={12} label="Loading intents" />;
}
