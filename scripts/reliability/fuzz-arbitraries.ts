import fc from "fast-check";

/** One hostile HTTP request, generated from the API's own operation list and contract shapes. */
export interface FuzzRequest {
  method: string;
  /** OpenAPI path template, e.g. /defix/intents/{id} */
  template: string;
  params: Record<string, string>;
  isRawPath: boolean;
  query: Array<[string, string]>;
  token: string | undefined;
  contentType: string | undefined;
  body: string | undefined;
}

export interface FuzzContext {
  operations: Array<{ method: string; path: string }>;
  /** Known-good values the generator mixes in, so requests reach deep into handlers. */
  intentIds: string[];
  vaultIds: string[];
  tokens: string[];
  validSubmit: Record<string, unknown>;
  queryKeys: string[];
}

const HOSTILE_STRINGS = [
  "",
  " ",
  "../../etc/passwd",
  "%00",
  "%ZZ",
  "' or 1=1 --",
  "\u0000",
  "__proto__",
  "constructor",
  "😀".repeat(50),
  "a".repeat(5_000),
  "-1",
  "1e309",
  "NaN",
  "0x",
  "31337:0x",
  "99999999999999999999:0x0000000000000000000000000000000000000000",
  "00000000-0000-0000-0000-000000000000",
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 50 }),
);

/** Replaces, deletes or adds one field somewhere in a valid submit body. */
function mutatedSubmit(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) {
        paths.push([...path, key]);
        walk(child, [...path, key]);
      }
    }
  };
  walk(valid, []);
  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    hostileString,
    fc.constant(undefined),
    fc.integer(),
    fc.double(),
  );
  return fc.tuple(fc.constantFrom(...paths), replacement, fc.boolean()).map(([path, value, isExtraKey]) => {
    const copy = structuredClone(valid);
    let node = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    const last = path.at(-1) ?? "";
    if (isExtraKey) node[`${last}_extra`] = value;
    else if (value === undefined) delete node[last];
    else node[last] = value;
    return copy;
  });
}

const rawBodies = fc.oneof(
  fc.constantFrom(
    "{",
    "[",
    "null",
    "true",
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{}}}',
    "[".repeat(20_000),
    "x".repeat(70_000),
  ),
  fc.string({ maxLength: 300 }),
);

export function fuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const pathValue = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ctx.intentIds, ...ctx.vaultIds) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: hostileString },
  );
  const body = fc.oneof(
    { weight: 3, arbitrary: mutatedSubmit(ctx.validSubmit).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: rawBodies },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const query = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...ctx.queryKeys), hostileString),
      fc.oneof(hostileString, fc.constantFrom(...ctx.vaultIds), fc.integer().map(String)),
    ),
    { maxLength: 4 },
  );
  return fc
    .record({
      operation: fc.constantFrom(...ctx.operations),
      pathValue,
      isRawPath: fc.boolean(),
      query,
      // Header values must be Latin-1 for fetch to send them at all, so hostile tokens stay ASCII.
      token: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...ctx.tokens) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
        { weight: 1, arbitrary: fc.constantFrom(...ctx.tokens).map((token) => `${token.slice(0, -4)}AAAA`) },
      ),
      contentType: fc.constantFrom(
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/json; charset=utf-16",
        undefined,
      ),
      body,
    })
    .map(({ operation, pathValue: value, ...rest }) => {
      const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? "");
      return {
        method: operation.method,
        template: operation.path,
        params: Object.fromEntries(names.map((name) => [name, value])),
        ...rest,
      };
    });
}
