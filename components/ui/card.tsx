import type { HTMLAttributes, ReactNode } from "react";

export function Card({ className = "", ...rest }: HTMLAttributes<HTMLElement>) {
  return <section className={`rounded-lg border border-zinc-200 bg-surface shadow-sm ${className}`} {...rest} />;
}

export function CardHeader({ title, actions, id }: { title: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <header className="flex items-center justify-between gap-3 border-b border-zinc-100 px-4 py-3">
      <h2 id={id} className="text-sm font-semibold text-zinc-900">
        {title}
      </h2>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </header>
  );
}

export function CardBody({ className = "", ...rest }: HTMLAttributes<HTMLDivElement>) {
  return <div className={`px-4 py-3 ${className}`} {...rest} />;
}
