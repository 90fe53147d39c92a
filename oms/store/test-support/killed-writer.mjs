// A writer process that dies mid-transaction (positions.int.test.ts): it takes event positions and
// inserts an event, prints "holding", and waits with the transaction open until it is SIGKILLed.
// Plain JS so it starts in a blink without the TypeScript loader.
import SQLite from "better-sqlite3";
import pg from "pg";

const [target, intentId] = process.argv.slice(2);
const TAKE = 3;

function eventRow(position) {
  return [`killed-${position}`, intentId, 1000 + position, position];
}

if (target.startsWith("postgres")) {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  await client.query("begin");
  const { rows } = await client.query("update event_position set last = last + $1 where id = 1 returning last", [TAKE]);
  const position = Number(rows[0].last);
  await client.query(
    "insert into intent_events (event_id, intent_id, message_type, seq_num, payload, created_at, position) values ($1, $2, 'WAITING', $3, '{}', now()::text, $4)",
    eventRow(position),
  );
} else {
  const db = new SQLite(target);
  db.pragma("busy_timeout = 5000");
  db.exec("begin immediate");
  const { last } = db.prepare("update event_position set last = last + ? where id = 1 returning last").get(TAKE);
  db.prepare(
    "insert into intent_events (event_id, intent_id, message_type, seq_num, payload, created_at, position) values (?, ?, 'WAITING', ?, '{}', datetime('now'), ?)",
  ).run(...eventRow(Number(last)));
}
process.stdout.write("holding\n");
setInterval(() => undefined, 60_000);
