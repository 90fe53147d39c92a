import { randomBytes } from "node:crypto";
import { linkSync, unlinkSync, writeFileSync } from "node:fs";

/**
 * Creates `file` with `contents` unless it exists, safely when several processes start at once on one
 * data dir (`OMS_PROCESSES`, the cluster harness): the contents go to a private temp file first, which is
 * then hard-linked into place. The link either creates the complete file or fails because another process
 * already did, so nobody reads a half-written key and nobody's generated key silently replaces another's.
 * Returns whether this call created it.
 */
export function createFileOnce(file: string, contents: string, mode: number): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temp, contents, { mode, flag: "wx" });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}
