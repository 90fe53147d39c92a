"use client";

import { createContext, type ReactNode, useCallback, useContext, useRef, useState } from "react";

type Announce = (message: string) => void;

const AnnouncerContext = createContext<Announce>(() => undefined);
/** Most sentences said at once (the newest). */
const MAX_SENTENCES = 3;

/**
 * The app's one polite live region. Pages announce outcomes that matter (an intent completed or
 * failed, the gate lifted), never ticks: a screen reader user hears what changed, once.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState("");
  const pending = useRef<string[]>([]);
  // The same sentence twice in a row is still news: clear first so the region changes. Sentences that come in the
  // same frame (an intent completing as an alert is raised) are said together: a later one must not replace one
  // that was never rendered. A hidden tab draws no frames: what piled up meanwhile is said as its last few.
  const announce = useCallback<Announce>((next) => {
    pending.current.push(next);
    if (pending.current.length > 1) return;
    setMessage("");
    requestAnimationFrame(() => setMessage(pending.current.splice(0).slice(-MAX_SENTENCES).join(" ")));
  }, []);
  return (
    <AnnouncerContext.Provider value={announce}>
      {children}
      <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="announcer">
        {message}
      </div>
    </AnnouncerContext.Provider>
  );
}

export function useAnnounce(): Announce {
  return useContext(AnnouncerContext);
}
