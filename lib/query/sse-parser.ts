export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/**
 * An incremental parser of the text/event-stream format (WHATWG HTML §9.2): feed it chunks as
 * they arrive, get back the complete messages. Comments (`: keep-alive`) and `retry:` lines are
 * dropped; `id:` persists across messages as the spec's "last event id" does.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private lastId: string | null = null;
  private hasFields = false;

  get lastEventId(): string | null {
    return this.lastId;
  }

  feed(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone trailing \r may be the first half of \r\n: wait for the next chunk to decide.
      if (!match || (match[0] === "\r" && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      this.data.push(value);
      this.hasFields = true;
    } else if (field === "event") {
      this.event = value;
      this.hasFields = true;
    } else if (field === "id" && !value.includes("\0")) {
      this.lastId = value;
    }
    return null;
  }

  private dispatch(): SseMessage | null {
    const hasData = this.hasFields && this.data.length > 0;
    const message = hasData ? { id: this.lastId, event: this.event || "message", data: this.data.join("\n") } : null;
    this.data = [];
    this.event = "";
    this.hasFields = false;
    return message;
  }
}
