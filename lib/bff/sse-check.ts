import type { z } from "zod";

/** The schema of each checked SSE `event:` name's `data`; frames of other names pass unchecked. */
export type EventSchemas = Readonly<Record<string, z.ZodType>>;

/**
 * Checks an upstream SSE stream frame by frame, so the pages take its events as typed without zod:
 * a frame whose `event:` name has a schema and whose `data` does not match it is dropped (and logged,
 * without its data); a matching one goes on with the schema's output as its data (the browser's types); frames
 * of other names go on byte for byte. A frame is complete at its blank line,
 * which is also when a browser's EventSource would dispatch it, so nothing is held back longer.
 */
export function checkedEvents(schemas: EventSchemas, service: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  const emit = (controller: TransformStreamDefaultController<Uint8Array>, text: string): void => {
    pending += text;
    let end = pending.indexOf("\n\n");
    while (end !== -1) {
      const frame = pending.slice(0, end + 2);
      pending = pending.slice(end + 2);
      const checked = checkedFrame(frame, schemas, service);
      if (checked !== null) controller.enqueue(encoder.encode(checked));
      end = pending.indexOf("\n\n");
    }
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      emit(controller, decoder.decode(chunk, { stream: true }));
    },
    flush(controller) {
      emit(controller, decoder.decode());
      // An unterminated last frame would never be dispatched by a browser either; hand it on as it is.
      if (pending) controller.enqueue(encoder.encode(pending));
    },
  });
}

/** The frame to hand on (a checked frame's data replaced by the schema's output), or null to drop it. */
function checkedFrame(frame: string, schemas: EventSchemas, service: string): string | null {
  let event = "message";
  const data: string[] = [];
  const others: string[] = [];
  for (const line of frame.slice(0, -2).split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    else others.push(line);
  }
  const schema = schemas[event];
  if (schema === undefined || data.length === 0) return frame;
  let json: unknown;
  try {
    json = JSON.parse(data.join("\n"));
  } catch {
    console.warn(`[bff] ${service} stream: an \`${event}\` frame is not JSON; dropped`);
    return null;
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues[0]?.path.join(".") || "(root)";
    console.warn(`[bff] ${service} stream: an \`${event}\` frame does not match the contract at ${where}; dropped`);
    return null;
  }
  return `${[...others, `data: ${JSON.stringify(result.data)}`].join("\n")}\n\n`;
}
