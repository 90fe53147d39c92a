/**
 * A bounded read-through cache of serialized answers (bytes, not objects), dropped by key when a commit
 * changes what they show. A load that a commit overtakes is answered but not stored: `invalidate` marks
 * the loads in flight for its keys stale, so a read that began before the commit never outlives it in
 * the cache. Nothing is stored while `isStorable()` is false (the event bus is not yet listening: a
 * commit then could go unheard). Least recently read entries are dropped first beyond the bounds.
 */
export interface ReadCache<V> {
  /** The cached value of `key`, else `load()`'s (concurrent misses of one key share one load). */
  read(key: string, load: () => Promise<V | null>): Promise<V | null>;
  /** These keys changed: drop them, and do not store loads of them already under way. */
  invalidate(keys: Iterable<string>): void;
  /** Everything changed. */
  clear(): void;
  /** Entries and bytes held (tests, health). */
  stats(): { entries: number; bytes: number };
}

export interface ReadCacheOptions<V> {
  maxBytes: number;
  maxEntries: number;
  /** Bytes an entry holds (its serialized answer; the key and bookkeeping are added). */
  sizeOf(value: V): number;
  isStorable(): boolean;
}

/** Map, key string and bookkeeping per entry, beyond the answer's own bytes. */
const ENTRY_OVERHEAD = 160;

interface Load<V> {
  promise: Promise<V | null>;
  isStale: boolean;
}

export function createReadCache<V>(options: ReadCacheOptions<V>): ReadCache<V> {
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently read first.
  const entries = new Map<string, { value: V; bytes: number }>();
  const loads = new Map<string, Load<V>>();
  let bytes = 0;

  function drop(key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    bytes -= entry.bytes;
  }

  function store(key: string, value: V): void {
    const size = options.sizeOf(value) + key.length * 2 + ENTRY_OVERHEAD;
    if (size > options.maxBytes) return;
    drop(key);
    entries.set(key, { value, bytes: size });
    bytes += size;
    while (bytes > options.maxBytes || entries.size > options.maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      drop(oldest.value);
    }
  }

  function settle(key: string, load: Load<V>): void {
    if (loads.get(key) === load) loads.delete(key);
  }

  return {
    read(key, loadValue) {
      const hit = entries.get(key);
      if (hit !== undefined) {
        entries.delete(key);
        entries.set(key, hit);
        return Promise.resolve(hit.value);
      }
      const pending = loads.get(key);
      if (pending !== undefined) return pending.promise;
      const load: Load<V> = { promise: Promise.resolve(null), isStale: !options.isStorable() };
      load.promise = loadValue().then(
        (value) => {
          settle(key, load);
          if (value !== null && !load.isStale && options.isStorable()) store(key, value);
          return value;
        },
        (error: unknown) => {
          settle(key, load);
          throw error;
        },
      );
      loads.set(key, load);
      return load.promise;
    },
    invalidate(keys) {
      for (const key of keys) {
        drop(key);
        const load = loads.get(key);
        if (load === undefined) continue;
        // Later reads start their own load: this one may have read the state before the commit.
        load.isStale = true;
        loads.delete(key);
      }
    },
    clear() {
      entries.clear();
      bytes = 0;
      for (const load of loads.values()) load.isStale = true;
      loads.clear();
    },
    stats: () => ({ entries: entries.size, bytes }),
  };
}
