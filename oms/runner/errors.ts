import type { FastifyError, FastifyInstance } from "fastify";
import { ZodError } from "zod";
import { DomainError } from "../errors";
import { AuthError } from "./auth";

/** Every failure leaves as `{ error: { code, message } }`; 5xx text never reaches a caller. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const requestId = request.id;
    if (error instanceof DomainError || error instanceof AuthError) {
      const details = error instanceof DomainError ? error.details : undefined;
      return reply
        .status(error.status)
        .send({ error: { code: error.code, message: error.message, details, request_id: requestId } });
    }
    if (error instanceof ZodError) {
      return reply.status(400).send({
        error: {
          code: "VALIDATION_FAILED",
          message: "the request is not valid",
          details: error.issues,
          request_id: requestId,
        },
      });
    }
    const status = "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : 500;
    if (status < 500) {
      const code = status === 413 ? "PAYLOAD_TOO_LARGE" : status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "BAD_REQUEST";
      const isJson = "code" in error && error.code === "FST_ERR_CTP_INVALID_JSON_BODY";
      return reply
        .status(status)
        .send({ error: { code: isJson ? "INVALID_JSON" : code, message: error.message, request_id: requestId } });
    }
    request.log.error({ err: error }, "unhandled runner error");
    return reply.status(500).send({ error: { code: "INTERNAL", message: "internal error", request_id: requestId } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: "NOT_FOUND", message: "no such route", request_id: request.id } }),
  );
}
