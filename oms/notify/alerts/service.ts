import type { Kysely } from "kysely";
import type { AlertChange, AlertList, AlertSettings } from "../../../lib/defix/alerts";
import type { Database } from "../../store/schema";
import { type AlertRecord, alertChangesHead, listAlertChangesAfter } from "./changes";
import { reportKillSwitch } from "./evaluator";
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
  /** In-process cue that alert changes committed (this process's evaluator and routes). */
  subscribe(listener: () => void): () => void;
  notify(change: AlertChange): void;
}

export function createAlertService(deps: { db: Kysely<Database>; onSettingsChanged?: () => void }): AlertService {
  const { db } = deps;
  const listeners = new Set<() => void>();
  const notifyAll = () => {
    for (const listener of [...listeners]) listener();
  };
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
      if (change) notifyAll();
    },
    head: () => alertChangesHead(db),
    changesAfter: (position, limit) => listAlertChangesAfter(db, position, limit),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    notify: () => notifyAll(),
  };
}
