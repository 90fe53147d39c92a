import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  /** What the browser sees from /api/auth/session: the address only, never the OMS token. */
  interface Session {
    address: string;
  }
}

declare module "next-auth/jwt" {
  /** The encrypted session cookie's payload (server-side only). */
  interface JWT {
    omsToken?: string;
    /** ms since epoch */
    omsTokenExpiresAt?: number;
  }
}
