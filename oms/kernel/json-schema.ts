import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

/**
 * The zod contract (lib/defix) as JSON Schema: `input` for what a request may send (defaults optional,
 * pre-transform strings; the OpenAPI document), `output` for what a handler answers.
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/** Keywords that only constrain values: a serializer writes what it is given, so they only slow it down. */
const CONSTRAINTS = new Set([
  "pattern",
  "format",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "propertyNames",
  "default",
  "description",
  "enum",
  "const",
  "examples",
  "title",
]);

/**
 * The response schema fastify compiles into a serializer (fast-json-stringify), from the contract's
 * output schema. Answers were validated when their rows were written, so the serializer needs only the
 * shape: constraints are dropped, `anyOf [T, null]` becomes `type: [T, "null"]` (fast-json-stringify
 * runs a schema validator per value for an `anyOf`), and anything else it cannot lay out statically (a
 * union of several shapes, a reference, a value zod could not describe) is written by `JSON.stringify`.
 * The properties an object lists are the ones written, exactly what zod's parse would have kept.
 */
export function serializerSchemaOf(schema: z.ZodType): JsonSchema {
  return simplify(jsonSchemaOf(schema, "output"));
}

function simplify(node: JsonSchema): JsonSchema {
  if (node.anyOf !== undefined) return simplifyUnion(node.anyOf as JsonSchema[]);
  if (node.oneOf !== undefined || node.allOf !== undefined || node.$ref !== undefined || node.not !== undefined) {
    return {};
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (CONSTRAINTS.has(key) || key === "$defs" || key === "id") continue;
    if (key === "properties") out.properties = mapValues(value as Record<string, JsonSchema>, simplify);
    else if (key === "items" || key === "additionalProperties") {
      out[key] = typeof value === "object" && value !== null ? simplify(value as JsonSchema) : value;
    } else out[key] = value;
  }
  // A tuple (prefixItems) or an untyped node: not worth laying out.
  if (out.prefixItems !== undefined || out.type === undefined) return {};
  return out;
}

/** `T | null` keeps T's layout; any other union is left to JSON.stringify. */
function simplifyUnion(options: readonly JsonSchema[]): JsonSchema {
  const nonNull = options.filter((option) => option.type !== "null");
  const hasNull = nonNull.length < options.length;
  const only = nonNull.length === 1 ? simplify(nonNull[0] as JsonSchema) : {};
  if (typeof only.type !== "string") return {};
  return hasNull ? { ...only, type: [only.type, "null"] } : only;
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
