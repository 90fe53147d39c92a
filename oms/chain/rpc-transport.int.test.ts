import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BaseError, createPublicClient, HttpRequestError, RpcRequestError, TimeoutError } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { type RpcConnection, type RpcTransportOptions, rpcConnection } from "./rpc-transport";

type Handler = (body: { id: number; method: string }, request: IncomingMessage, response: ServerResponse) => void;

/** A JSON-RPC node whose answers the test decides, counting requests and TCP connections. */
async function fakeNode(handler: Handler) {
  let requests = 0;
  let connections = 0;
  let open = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests += 1;
      handler(JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: number; method: string }, request, response);
    });
  });
  server.on("connection", (socket) => {
    connections += 1;
    open += 1;
    socket.on("close", () => {
      open -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    connections: () => connections,
    /** Connections not closed yet. */
    open: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const answer = (response: ServerResponse, body: unknown, status = 200) => {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
};

describe("the OMS's JSON-RPC transport", () => {
  let node: Awaited<ReturnType<typeof fakeNode>> | null = null;
  const opened: RpcConnection[] = [];
  afterEach(async () => {
    for (const connection of opened.splice(0)) connection.close();
    await node?.close();
    node = null;
  });
  const connect = (url: string) => {
    const connection = rpcConnection(url);
    opened.push(connection);
    return connection;
  };
  const clientOf = (url: string, options?: RpcTransportOptions) =>
    createPublicClient({ transport: connect(url).transport({ retryDelay: 1, ...options }) });

  it("answers each request with its result over one kept-alive connection", async () => {
    node = await fakeNode((body, _request, response) =>
      answer(response, { jsonrpc: "2.0", id: body.id, result: "0x2a" }),
    );
    const client = clientOf(node.url);
    for (let i = 0; i < 20; i++) expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(42n);
    expect(node.requests()).toBe(20);
    expect(node.connections()).toBe(1);
  });

  it("shares its sockets between its transports, and close() ends them", async () => {
    node = await fakeNode((body, _request, response) =>
      answer(response, { jsonrpc: "2.0", id: body.id, result: "0x1" }),
    );
    const connection = connect(node.url);
    const engine = createPublicClient({ transport: connection.transport({ retryCount: 2 }) });
    const api = createPublicClient({ transport: connection.transport({ retryCount: 1 }) });
    for (let i = 0; i < 5; i++) {
      await engine.getBlockNumber({ cacheTime: 0 });
      await api.getBlockNumber({ cacheTime: 0 });
    }
    expect(node.connections()).toBe(1);
    expect(node.open()).toBe(1);
    connection.close();
    await expect.poll(() => node?.open()).toBe(0);
  });

  it("hands a node's JSON-RPC error to viem as RpcRequestError, code, message and revert data intact", async () => {
    const revert = "0x08c379a0";
    node = await fakeNode((body, _request, response) =>
      answer(response, {
        jsonrpc: "2.0",
        id: body.id,
        error: { code: 3, message: "execution reverted", data: revert },
      }),
    );
    const error = await clientOf(node.url)
      .request({ method: "eth_blockNumber" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BaseError);
    const rpc = (error as BaseError).walk((cause) => cause instanceof RpcRequestError) as RpcRequestError | null;
    expect(rpc).toMatchObject({ code: 3, data: revert });
    expect((error as Error).message).toContain("execution reverted");
    // A node's refusal is an answer, not a failure to retry.
    expect(node.requests()).toBe(1);
  });

  it("retries a 503 and a dropped connection, then answers", async () => {
    let calls = 0;
    node = await fakeNode((body, request, response) => {
      calls += 1;
      if (calls === 1) return answer(response, "busy", 503);
      if (calls === 2) return request.socket.destroy();
      answer(response, { jsonrpc: "2.0", id: body.id, result: "0x7" });
    });
    expect(await clientOf(node.url).getBlockNumber({ cacheTime: 0 })).toBe(7n);
    expect(node.requests()).toBe(3);
  });

  it("gives up on a node that does not answer within the timeout, with viem's TimeoutError", async () => {
    node = await fakeNode(() => undefined);
    const startedAt = Date.now();
    const error = await clientOf(node.url, { timeoutMs: 200, retryCount: 0 })
      .getBlockNumber({ cacheTime: 0 })
      .catch((caught: unknown) => caught);
    expect((error as BaseError).walk((cause) => cause instanceof TimeoutError)).not.toBeNull();
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it("refuses an answer larger than its limit, and one that is not JSON, naming the status", async () => {
    node = await fakeNode((body, request, response) => {
      if (request.url === "/big")
        return answer(response, { jsonrpc: "2.0", id: body.id, result: "0x".padEnd(5_000, "0") });
      response.writeHead(404, { "content-type": "text/html" });
      response.end("<html>not here</html>");
    });
    const big = await clientOf(`${node.url}/big`, { maxResponseBytes: 1_000, retryCount: 0 })
      .request({ method: "eth_blockNumber" })
      .catch((caught: unknown) => caught);
    expect(big).toBeInstanceOf(HttpRequestError);
    expect((big as Error).message).toContain("over 1000 bytes");
    const html = await clientOf(`${node.url}/missing`, { retryCount: 0 })
      .request({ method: "eth_blockNumber" })
      .catch((caught: unknown) => caught);
    expect(html).toMatchObject({ status: 404 });
  });
});
