"use client";

import { useState } from "react";

/** Copies the current URL (filters included); read at click time so it is always the live view. */
export function ShareLinkButton() {
  const [isCopied, setIsCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setIsCopied(true);
      setTimeout(() => setIsCopied(false), 1500);
    } catch (error) {
      console.warn("copy failed", error);
    }
  };
  return (
    <button
      type="button"
      onClick={() => void copy()}
      className="rounded px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-blue-600"
    >
      {isCopied ? "Link copied" : "Copy link"}
    </button>
  );
}
