"use client";

import { ConnectButton as KitConnectButton } from "@rainbow-me/rainbowkit";
import { type ComponentProps, useEffect, useRef, useState } from "react";

/** A focusable element inside an `aria-hidden` subtree: hidden from assistive tech, yet reachable by Tab. */
const HIDDEN_FOCUSABLE = '[aria-hidden="true"] button, [aria-hidden="true"] a[href], [aria-hidden="true"] [tabindex]';

/**
 * RainbowKit's connect button, made inert while RainbowKit hides it. Until it has mounted (the server render
 * and hydration) and while a sign-in is loading, RainbowKit renders the button transparent and `aria-hidden`
 * but still focusable (WCAG: aria-hidden-focus), so keyboard users could land on a control they cannot see.
 * `inert` removes it from the tab order for exactly as long as RainbowKit hides it.
 */
export function ConnectButton(props: ComponentProps<typeof KitConnectButton>) {
  const ref = useRef<HTMLDivElement>(null);
  // The server render is RainbowKit's hidden state: inert from the first byte.
  const [isHidden, setHidden] = useState(true);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const check = () => setHidden(element.querySelector(HIDDEN_FOCUSABLE) !== null);
    check();
    const observer = new MutationObserver(check);
    observer.observe(element, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-hidden"] });
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} inert={isHidden}>
      <KitConnectButton {...props} />
    </div>
  );
}
