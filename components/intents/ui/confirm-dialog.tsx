"use client";

import { type ReactNode, useEffect, useRef } from "react";
import { Button } from "./button";

/**
 * A modal confirmation on the native <dialog>: it traps focus, closes on Esc and restores focus to
 * the opener without any library.
 */
export function ConfirmDialog({
  isOpen,
  title,
  children,
  confirmLabel,
  isBusy,
  onConfirm,
  onClose,
}: {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  isBusy: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="confirm-dialog-title"
      className="m-auto w-[28rem] max-w-[90vw] rounded-lg p-0 shadow-xl backdrop:bg-black/40"
    >
      <div className="space-y-3 p-5">
        <h2 id="confirm-dialog-title" className="text-base font-semibold">
          {title}
        </h2>
        <div className="text-sm text-zinc-700">{children}</div>
        <div className="flex justify-end gap-2 pt-2">
          <Button onClick={onClose} autoFocus>
            Keep it
          </Button>
          <Button variant="danger" onClick={onConfirm} disabled={isBusy}>
            {isBusy ? "Canceling…" : confirmLabel}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
