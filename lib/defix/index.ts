export * from "./common";
export * from "./errors";
export * from "./events";
export * from "./intents";
export * from "./rpc";
export * from "./session-keys";
export * from "./strategies";
export * from "./vaults";
