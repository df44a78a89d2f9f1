// Fake HTTP servers for unit tests: a cluster, the Alibaba Cloud API or any endpoint a test answers itself, on an
// ephemeral port of 127.0.0.1 (tests talk only to loopback addresses).
import type * as http from "node:http";
import type * as http2 from "node:http2";
import type { AddressInfo } from "node:net";

type Listening = http.Server | http2.Http2Server;

/** Starts `server` on an ephemeral loopback port and returns its `host:port`. */
export async function listenOnLoopback(server: Listening): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts `server` on an ephemeral loopback port and returns its base URL (`http://127.0.0.1:port`). */
export async function listenForUrl(server: http.Server, scheme: "http" | "https" = "http"): Promise<string> {
  return `${scheme}://${await listenOnLoopback(server)}`;
}

/** Stops `server`; with `dropConnections`, keep-alive connections are closed too instead of waited for. */
export function closeServer(server: Listening, dropConnections = false): Promise<void> {
  if (dropConnections && "closeAllConnections" in server) server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Answers with `body` as JSON and `status`. */
export function replyJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Reads a request's whole body as text, then calls `done` with it. */
export function onBody(req: http.IncomingMessage, done: (body: string) => void): void {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => done(body));
}
