import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ErrorCode } from "../../lib/defix/errors";
import { DomainError } from "./errors";

/**
 * How much of a refused body is read and dropped before the 413 goes out. A client (Node's fetch,
 * most HTTP libraries) reads the response only once it has sent its body; closing the socket while
 * it still uploads leaves it with EPIPE instead of the 413. Beyond these bounds the socket is closed
 * anyway: a refused request costs at most this much reading.
 */
export const DRAIN_MAX_BYTES = 8 * 1024 * 1024;
export const DRAIN_MAX_MS = 5_000;

export function payloadTooLarge(limit: number): DomainError {
  return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large", { limit_bytes: limit });
}

/** Reads and drops what is left of `body`, up to the drain bounds. */
export function discardRest(body: Readable, alreadyRead = 0): Promise<void> {
  return new Promise((resolve) => {
    if (body.readableEnded || body.destroyed) return resolve();
    let seen = alreadyRead;
    const finish = () => {
      clearTimeout(timer);
      body.off("data", onData).off("end", finish).off("error", finish).off("close", finish);
      body.pause();
      resolve();
    };
    const onData = (chunk: Buffer | string) => {
      seen += chunk.length;
      if (seen > DRAIN_MAX_BYTES) finish();
    };
    const timer = setTimeout(finish, DRAIN_MAX_MS);
    body.on("data", onData).on("end", finish).on("error", finish).on("close", finish);
    body.resume();
  });
}

/**
 * A body that declares more than `bodyLimit` bytes is refused before any hook reads or authenticates
 * it: drained (bounded) and answered 413, with `connection: close` since the rest may be unread.
 */
export function declaredLengthCheck(
  bodyLimit: number,
): (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void {
  return (request, reply, done) => {
    const declared = Number(request.headers["content-length"]);
    if (!(declared > bodyLimit)) return done();
    reply.header("connection", "close");
    discardRest(request.raw).then(() => done(payloadTooLarge(bodyLimit)), done);
  };
}

/**
 * The whole body as text, at most `limit` bytes. A body without Content-Length (chunked) that runs
 * over is drained like a declared one, then refused, so a streaming client reads the 413 too.
 */
export function readBodyText(body: IncomingMessage | Readable, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => body.off("data", onData).off("end", onEnd).off("error", onError).off("close", onError);
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      received += buffer.length;
      if (received <= limit) {
        chunks.push(buffer);
        return;
      }
      stop();
      chunks.length = 0;
      discardRest(body, received).then(() => reject(payloadTooLarge(limit)), reject);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, received).toString("utf8"));
    };
    const onError = () => {
      stop();
      reject(new DomainError(ErrorCode.BAD_REQUEST, "The request body could not be read"));
    };
    // A client that goes away mid-upload closes the stream without an end (and not always with an error).
    body.on("data", onData).on("end", onEnd).on("error", onError).on("close", onError);
    body.resume();
  });
}
