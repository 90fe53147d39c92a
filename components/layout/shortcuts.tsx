"use client";

import { useRouter } from "next/navigation";
import { lazy, Suspense, useEffect, useState } from "react";

const ShortcutsDialog = lazy(() =>
  import("./shortcuts-dialog").then((module) => ({ default: module.ShortcutsDialog })),
);

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
  const [hasOpened, setHasOpened] = useState(false);

  useEffect(() => {
    let isAwaitingGo = false;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector("dialog[open]")) return;
      const go = isAwaitingGo;
      isAwaitingGo = false;
      if (event.key === "?") {
        event.preventDefault();
        setHasOpened(true);
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

  // The dialog (and its table) loads the first time it is asked for, then stays mounted so closing it is the
  // native dialog's own close (focus goes back where it was).
  return hasOpened ? (
    <Suspense fallback={null}>
      <ShortcutsDialog isOpen={isOpen} onClose={() => setIsOpen(false)} />
    </Suspense>
  ) : null;
}
