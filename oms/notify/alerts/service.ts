import type { Kysely } from "kysely";
import type { AlertChange, AlertList, AlertSettings } from "../../../lib/defix/alerts";
import type { Logger } from "../../kernel/logger";
import type { WakeupSource } from "../../kernel/pg-listen";
import type { Database } from "../../store/schema";
import { type AlertRecord, alertChangesHead, listAlertChangesAfter } from "./changes";
import { reportKillSwitch } from "./evaluator";
import { createAlertFeed } from "./feed";
import { countUnread, getAlert, getAlertSettings, listAlerts, markAllRead, markRead, putAlertSettings } from "./repo";

export interface AlertListQuery {
  subject: string;
  vaultIds: readonly string[];
  state?: "open" | "resolved";
  unread?: boolean;
  cursor?: number;
  limit: number;
}

/** What the API needs of alerts: reads per user, read marks, settings, the kill-switch report and live changes. */
export interface AlertService {
  list(query: AlertListQuery): Promise<AlertList>;
  get(alertId: string): Promise<AlertRecord | null>;
  markRead(alertId: string, subject: string): Promise<void>;
  markAllRead(subject: string, vaultIds: readonly string[]): Promise<number>;
  settings(vaultId: string): Promise<AlertSettings>;
  putSettings(vaultId: string, settings: AlertSettings, actor: string): Promise<AlertSettings>;
  reportKillSwitch(vaultId: string, engaged: boolean): Promise<void>;
  head(): Promise<number>;
  changesAfter(position: number, limit: number): Promise<AlertChange[]>;
  /**
   * Cue that alert changes committed: this process's (`notify`), another process's (its NOTIFY, when
   * `wakeups` is given), or any seen by the backstop tick. Read `changesAfter` on each.
   */
  subscribe(listener: () => void): () => void;
  notify(change: AlertChange): void;
  close(): Promise<void>;
}

/** The backstop tick of the alert feed: a lost NOTIFY, or a writer with none (SQLite), costs at most this. */
export const ALERT_FEED_TICK_MS = 2_000;

export function createAlertService(deps: {
  db: Kysely<Database>;
  onSettingsChanged?: () => void;
  /** Other OMS processes' alert changes (`pgListener` on `ALERT_CHANNEL`); unset: the tick only. */
  wakeups?: WakeupSource;
  feedTickMs?: number;
  log: Logger;
}): AlertService {
  const { db } = deps;
  const feed = createAlertFeed({
    db,
    wakeups: deps.wakeups,
    tickMs: deps.feedTickMs ?? ALERT_FEED_TICK_MS,
    log: deps.log,
  });
  return {
    async list(query) {
      const [page, unread] = await Promise.all([
        listAlerts(db, {
          subject: query.subject,
          vaultIds: query.vaultIds,
          state: query.state,
          unread: query.unread,
          beforePosition: query.cursor,
          limit: query.limit,
        }),
        countUnread(db, query.subject, query.vaultIds),
      ]);
      return {
        alerts: page.alerts,
        unread,
        next_cursor: page.nextPosition === null ? null : String(page.nextPosition),
      };
    },
    get: (alertId) => getAlert(db, alertId),
    markRead: (alertId, subject) => markRead(db, alertId, subject, new Date()),
    async markAllRead(subject, vaultIds) {
      await markAllRead(db, subject, vaultIds);
      return countUnread(db, subject, vaultIds);
    },
    settings: (vaultId) => getAlertSettings(db, vaultId),
    async putSettings(vaultId, settings, actor) {
      await putAlertSettings(db, vaultId, settings, actor, new Date());
      deps.onSettingsChanged?.();
      return getAlertSettings(db, vaultId);
    },
    async reportKillSwitch(vaultId, engaged) {
      const change = await reportKillSwitch(db, vaultId, engaged, new Date());
      if (change) feed.committed(change.position);
    },
    head: () => alertChangesHead(db),
    changesAfter: (position, limit) => listAlertChangesAfter(db, position, limit),
    subscribe: (listener) => feed.subscribe(listener),
    notify: (change) => feed.committed(change.position),
    close: () => feed.close(),
  };
}
