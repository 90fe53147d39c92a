import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { openBytes, sealBytes } from "../../keys/crypto";

/** Standard Webhooks secrets: `whsec_` + base64 of the signing key (32 random bytes). */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Binds the sealed secret to its endpoint: a value copied onto another endpoint's row fails to open. */
const context = (endpointId: string) => Buffer.from(`webhook-secret|${endpointId}`, "utf8");

export function sealSecret(masterKey: Uint8Array, endpointId: string, secret: string): string {
  return sealBytes(masterKey, context(endpointId), Buffer.from(secret, "utf8"));
}

export function openSecret(masterKey: Uint8Array, endpointId: string, sealed: string): string {
  try {
    return openBytes(masterKey, context(endpointId), sealed).toString("utf8");
  } catch (cause) {
    throw new Error(
      `cannot open the secret of webhook ${endpointId}: the master key differs from the one it was sealed with, or the row was altered`,
      { cause },
    );
  }
}

/** The three Standard Webhooks headers for one attempt (`timestamp` is the attempt's time). */
export function signedHeaders(secret: string, messageId: string, timestamp: Date, body: string) {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(messageId, timestamp, body),
  };
}
