"use client";

import { useEffect, useRef } from "react";
import { useAnnounce } from "./announcer";

/**
 * Announces `message(previous, current)` when `value` changes after the first render: the page
 * loading in a state is not news, moving into one is. Returning null keeps a change quiet.
 */
export function useAnnounceChange<T>(value: T, message: (previous: T, current: T) => string | null): void {
  const announce = useAnnounce();
  const previous = useRef(value);
  const describe = useRef(message);
  describe.current = message;
  useEffect(() => {
    if (Object.is(previous.current, value)) return;
    const text = describe.current(previous.current, value);
    previous.current = value;
    if (text) announce(text);
  }, [value, announce]);
}
