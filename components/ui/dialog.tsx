"use client";

import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from "react";

interface DialogProps {
  isOpen: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Tab and Shift+Tab cycle inside the dialog: showModal() makes the page inert, but Chromium still lets
 * Tab leave a modal for the browser's own UI, and focus lost there is not found again by a keyboard user.
 */
function trapTab(dialog: HTMLDialogElement, event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== "Tab") return;
  const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  const isLeaving = event.shiftKey ? document.activeElement === first : document.activeElement === last;
  if (!isLeaving) return;
  event.preventDefault();
  (event.shiftKey ? last : first).focus();
}

/**
 * A modal on the native <dialog>: showModal() gives Escape to close, an inert background, the top
 * layer and focus back on the opener when it closes, without a library; trapTab keeps Tab inside.
 * Clicking the backdrop closes it too.
 */
export function Dialog({ isOpen, onClose, title, description, children, footer }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={onClose}
      onKeyDown={(event) => {
        if (ref.current) trapTab(ref.current, event);
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
      className="m-auto w-full max-w-md rounded-lg bg-surface p-0 text-zinc-900 shadow-xl backdrop:bg-black/50"
    >
      <div className="px-5 pt-5 pb-4">
        <h2 id={titleId} className="text-base font-semibold text-zinc-900">
          {title}
        </h2>
        {description ? (
          <p id={descriptionId} className="mt-1 text-sm text-zinc-600">
            {description}
          </p>
        ) : null}
        {children ? <div className="mt-4">{children}</div> : null}
      </div>
      {footer ? <div className="flex justify-end gap-2 border-t border-zinc-100 px-5 py-3">{footer}</div> : null}
    </dialog>
  );
}
