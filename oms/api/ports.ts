/** The intent core as the API sees it: the interface lives with its implementation. */
export type { Actor, IntentService } from "../core/intent-service";
