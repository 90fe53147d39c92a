import type { z } from "zod";
import { ErrorCode } from "../../../lib/defix/errors";
import { JsonRpcErrorCode } from "../../../lib/defix/rpc";
import type { DomainError } from "../../kernel/errors";

/** A JSON-RPC error raised by a method: `code` from JsonRpcErrorCode, `data.code` a DeFiX code. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function parseParams<T extends z.ZodType>(schema: T, params: unknown): z.output<T> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  throw new RpcError(JsonRpcErrorCode.INVALID_PARAMS, "Invalid params", { code: ErrorCode.VALIDATION_FAILED, issues });
}

/** Domain errors keep their DeFiX code in `data`; the JSON-RPC code says which kind of failure. */
export function rpcErrorFromDomain(error: DomainError): RpcError {
  if (error.status >= 500) return new RpcError(JsonRpcErrorCode.INTERNAL_ERROR, error.message, { code: error.code });
  const code =
    error.status === 401
      ? JsonRpcErrorCode.UNAUTHORIZED
      : error.status === 403
        ? JsonRpcErrorCode.FORBIDDEN
        : error.status === 429
          ? JsonRpcErrorCode.LIMIT_EXCEEDED
          : JsonRpcErrorCode.INVALID_PARAMS;
  return new RpcError(code, error.message, { code: error.code, ...(error.details ? { details: error.details } : {}) });
}
