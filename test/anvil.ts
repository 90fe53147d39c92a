/** Test entry to the anvil helper: each integration test file starts its own chain on a free port. */
export { type AnvilInstance, type AnvilOptions, getFreePort, startAnvil } from "../scripts/lib/anvil";
