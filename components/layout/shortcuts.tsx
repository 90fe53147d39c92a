"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Listed in the dialog and in the README; the history's row keys are handled by the table itself. */
export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ["?", "Show these shortcuts"],
  ["/", "Search intents (opens the history)"],
  ["g then o", "Go to the overview"],
  ["g then i", "Go to the intent history"],
  ["↓ / ↑ or j / k", "History: next / previous intent"],
  ["Home / End", "History: first / last intent"],
  ["Enter", "History: open the focused intent"],
  ["Esc", "Close a dialog"],
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function focusSearch(): boolean {
  const search = document.querySelector<HTMLInputElement>('input[type="search"]');
  search?.focus();
  return search !== null;
}

/** After navigating to the history: focus its search as soon as it renders (a few frames, at most 5 s). */
function focusSearchOnceShown(): void {
  const deadline = Date.now() + 5000;
  const attempt = (): void => {
    if (!focusSearch() && Date.now() < deadline) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

/** Global keys, ignored while typing in a field or with a modifier held (the browser's own shortcuts). */
export function Shortcuts() {
  const router = useRouter();
  const [isOpen, setIsOpen] = useState(false);

  useEffect(() => {
    let isAwaitingGo = false;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector("dialog[open]")) return;
      const go = isAwaitingGo;
      isAwaitingGo = false;
      if (event.key === "?") {
        event.preventDefault();
        setIsOpen(true);
      } else if (event.key === "/") {
        event.preventDefault();
        if (!focusSearch()) {
          router.push("/intents");
          focusSearchOnceShown();
        }
      } else if (go && event.key === "o") {
        router.push("/");
      } else if (go && event.key === "i") {
        router.push("/intents");
      } else if (event.key === "g") {
        isAwaitingGo = true;
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [router]);

  return (
    <Dialog
      isOpen={isOpen}
      onClose={() => setIsOpen(false)}
      title="Keyboard shortcuts"
      footer={
        <Button variant="primary" onClick={() => setIsOpen(false)}>
          Close
        </Button>
      }
    >
      <table className="w-full text-sm">
        <caption className="sr-only">Keyboard shortcuts</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={keys} className="border-t border-zinc-100 first:border-t-0">
              <td className="py-1.5 pr-4 whitespace-nowrap">
                <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs">{keys}</kbd>
              </td>
              <td className="py-1.5 text-zinc-700">{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
