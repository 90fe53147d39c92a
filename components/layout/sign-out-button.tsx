"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { signOutTo } from "@/lib/auth/session-client";

/** Posts to next-auth's sign-out (CSRF-protected by next-auth) and lands on /signin. */
export function SignOutButton() {
  const [isPending, setIsPending] = useState(false);
  const onClick = (): void => {
    setIsPending(true);
    signOutTo("/signin").catch((error: unknown) => {
      console.error("sign-out failed", error);
      setIsPending(false);
    });
  };
  return (
    <Button variant="ghost" size="sm" onClick={onClick} disabled={isPending}>
      {isPending ? "Signing out…" : "Sign out"}
    </Button>
  );
}
