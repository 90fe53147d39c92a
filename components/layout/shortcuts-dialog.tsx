"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Listed in the dialog and in the README; the history's row keys are handled by the table itself. */
export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ["?", "Show these shortcuts"],
  ["/", "Search intents (opens the history)"],
  ["g then o", "Go to the overview"],
  ["g then i", "Go to the intent history"],
  ["↓ / ↑ or j / k", "History: next / previous intent"],
  ["Home / End", "History: first / last intent"],
  ["Enter", "History: open the focused intent"],
  ["Esc", "Close a dialog"],
];

/** The "?" dialog listing the keys `Shortcuts` handles. */
export function ShortcutsDialog({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  return (
    <Dialog
      isOpen={isOpen}
      onClose={onClose}
      title="Keyboard shortcuts"
      footer={
        <Button variant="primary" onClick={() => onClose()}>
          Close
        </Button>
      }
    >
      <table className="w-full text-sm">
        <caption className="sr-only">Keyboard shortcuts</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={keys} className="border-t border-zinc-100 first:border-t-0">
              <td className="py-1.5 pr-4 whitespace-nowrap">
                <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs">{keys}</kbd>
              </td>
              <td className="py-1.5 text-zinc-700">{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
