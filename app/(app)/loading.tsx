import { SkeletonRows } from "@/components/ui/skeleton-rows";

export default function OverviewLoading() {
  return <SkeletonRows rows={4} label="Loading overview" />;
}
