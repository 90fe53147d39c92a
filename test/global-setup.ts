import { buildContracts } from "../contracts/build";

/** vitest globalSetup of the "int" project: compile once (skipped when sources are unchanged). */
export default function setup(): void {
  // The committed ABIs are checked by a unit test, so the test run only refreshes contracts/out.
  buildContracts({ writeGenerated: false });
}
