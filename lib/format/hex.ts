/** `0x12345678…abcd`: enough of a hash or address to recognise it, short enough for a table cell. */
export function shortHex(value: string, head = 6, tail = 4): string {
  if (value.length <= 2 + head + tail + 1) return value;
  return `${value.slice(0, 2 + head)}…${value.slice(-tail)}`;
}

/** A UUID's first block is what people read aloud; the rest stays available on hover/copy. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
