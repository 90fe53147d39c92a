import { SkeletonRows } from "@/components/ui/skeleton-rows";

export default function IntentDetailLoading() {
  return <SkeletonRows rows={8} label="Loading intent" />;
}
