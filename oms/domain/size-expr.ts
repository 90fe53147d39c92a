/**
 * `size_expr`: a tiny arithmetic language over unsigned integers (bigint), evaluated against live vault
 * state. Grammar: expr = term (("+"|"-") term)* ; term = factor (("*"|"/") factor)* ;
 * factor = digits | identifier | "(" expr ")". Nothing is ever `eval`ed.
 */
export const SIZE_VARIABLES = [
  "vault_free_assets",
  "vault_total_assets",
  "position_assets",
  "position_shares",
] as const;
export type SizeVariable = (typeof SIZE_VARIABLES)[number];
export type SizeEnv = Record<SizeVariable, bigint>;

export type SizeAst =
  | { kind: "num"; value: bigint }
  | { kind: "var"; name: SizeVariable }
  | { kind: "bin"; op: "+" | "-" | "*" | "/"; left: SizeAst; right: SizeAst };

export class SizeExprError extends Error {
  override name = "SizeExprError";
}

const MAX_DEPTH = 32;
type Token = { type: "num"; text: string } | { type: "id"; text: string } | { type: "op"; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:([0-9]+)|([a-z_][a-z0-9_]*)|([-+*/()]))/y;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (match === null) throw new SizeExprError(`unexpected character at position ${index + 1}`);
    index = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ type: "num", text: match[1] });
    else if (match[2] !== undefined) tokens.push({ type: "id", text: match[2] });
    else tokens.push({ type: "op", text: match[3] ?? "" });
  }
  return tokens;
}

export function parseSizeExpr(source: string): SizeAst {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const expect = (text: string) => {
    const token = tokens[position];
    if (token?.type !== "op" || token.text !== text) throw new SizeExprError(`expected "${text}"`);
    position++;
  };
  const factor = (depth: number): SizeAst => {
    if (depth > MAX_DEPTH) throw new SizeExprError("expression nests too deeply");
    const token = tokens[position++];
    if (token === undefined) throw new SizeExprError("expression ends too early");
    if (token.type === "num") return { kind: "num", value: BigInt(token.text) };
    if (token.type === "id") {
      if (!(SIZE_VARIABLES as readonly string[]).includes(token.text)) {
        throw new SizeExprError(`unknown variable "${token.text}" (known: ${SIZE_VARIABLES.join(", ")})`);
      }
      return { kind: "var", name: token.text as SizeVariable };
    }
    if (token.text === "(") {
      const inner = expr(depth + 1);
      expect(")");
      return inner;
    }
    throw new SizeExprError(`unexpected "${token.text}"`);
  };
  const binary = (ops: readonly string[], next: (depth: number) => SizeAst) => (depth: number) => {
    let left = next(depth);
    for (let token = peek(); token?.type === "op" && ops.includes(token.text); token = peek()) {
      position++;
      left = { kind: "bin", op: token.text as "+" | "-" | "*" | "/", left, right: next(depth) };
    }
    return left;
  };
  const term = binary(["*", "/"], factor);
  const expr: (depth: number) => SizeAst = binary(["+", "-"], term);
  const ast = expr(0);
  if (position !== tokens.length) throw new SizeExprError(`unexpected "${tokens[position]?.text}"`);
  return ast;
}

export function evaluateSizeAst(ast: SizeAst, env: SizeEnv): bigint {
  switch (ast.kind) {
    case "num":
      return ast.value;
    case "var":
      return env[ast.name];
    case "bin": {
      const left = evaluateSizeAst(ast.left, env);
      const right = evaluateSizeAst(ast.right, env);
      if (ast.op === "+") return left + right;
      if (ast.op === "*") return left * right;
      if (ast.op === "-") {
        if (right > left) throw new SizeExprError("expression goes below zero");
        return left - right;
      }
      if (right === 0n) throw new SizeExprError("division by zero");
      return left / right;
    }
  }
}

/** Parses and evaluates; the result is asset base units. */
export function evaluateSizeExpr(source: string, env: SizeEnv): bigint {
  return evaluateSizeAst(parseSizeExpr(source), env);
}
