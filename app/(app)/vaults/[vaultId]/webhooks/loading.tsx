import { Skeleton } from "@/components/ui/skeleton";

export default function WebhooksLoading() {
  return (
    <div className="flex flex-col gap-4">
      <Skeleton className="h-8 w-72" label="Loading webhooks" />
      <Skeleton className="h-60 w-full" />
    </div>
  );
}
