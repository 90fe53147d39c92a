import { Skeleton } from "@/components/ui/skeleton";

export default function CanvasLoading() {
  return (
    <div className="flex flex-col gap-4">
      <Skeleton className="h-8 w-72" label="Loading the Strategy Canvas" />
      <Skeleton className="h-14 w-full" />
      <Skeleton className="h-80 w-full" />
    </div>
  );
}
