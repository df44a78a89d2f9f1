import { describe, expect, it } from "vitest";
import { engineReason, explainNetworkError, statusHint } from "../../provider/connection/errors";

describe("explainNetworkError", () => {
  it.each([
    ["connect ECONNREFUSED 127.0.0.1:9200", "connection_refused", "nothing listens on that host and port"],
    ["getaddrinfo ENOTFOUND es.example.internal", "dns", "host name not found"],
    ["getaddrinfo EAI_AGAIN es.example.internal", "dns", "host name not found"],
    ["self-signed certificate", "tls", "self-signed certificate: set caCert"],
    ["self-signed certificate in certificate chain", "tls", "set caCert"],
    ["unable to verify the first certificate", "tls", "set caCert"],
    ["certificate has expired", "tls", "not trusted"],
    [
      "Hostname/IP does not match certificate's altnames: IP: 10.0.0.5 is not in the cert's list: 127.0.0.1",
      "tls",
      "does not name this host",
    ],
    ["write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number", "tls", "use http://"],
    ["TimeoutError: Request timed out after 200ms", "timeout", "no answer in time"],
    [
      "other side closed - Local: 127.0.0.1:5000, Remote: 127.0.0.1:9200",
      "connection_reset",
      "closed before an answer came",
    ],
    ["something new", "connection_error", "something new"],
  ])("%s -> %s", (message, type, hint) => {
    const e = explainNetworkError(message);
    expect(e.type).toBe(type);
    expect(e.reason).toContain(hint);
  });
});

describe("engineReason", () => {
  it.each([
    [
      "the deepest caused_by named beside a generic root cause",
      {
        error: {
          root_cause: [
            { type: "x_content_parse_exception", reason: "[1:30] [reindex] failed to parse field [source]" },
          ],
          type: "x_content_parse_exception",
          reason: "[1:30] [reindex] failed to parse field [source]",
          caused_by: { type: "illegal_argument_exception", reason: "Unsupported fields in [remote]: [external]" },
        },
      },
      {
        type: "x_content_parse_exception",
        reason:
          "[1:30] [reindex] failed to parse field [source] (caused by illegal_argument_exception: Unsupported fields in [remote]: [external])",
      },
    ],
    [
      "a caused_by that repeats the reason adds nothing",
      { error: { type: "a", reason: "same", caused_by: { type: "a", reason: "same" } } },
      { type: "a", reason: "same" },
    ],
    [
      "root cause first",
      {
        error: {
          root_cause: [{ type: "mapper_parsing_exception", reason: "failed to parse field [ts]" }],
          type: "x",
          reason: "outer",
        },
      },
      { type: "mapper_parsing_exception", reason: "failed to parse field [ts]" },
    ],
    [
      "error without root cause",
      { error: { type: "illegal_argument_exception", reason: "unknown setting [index.foo]" } },
      { type: "illegal_argument_exception", reason: "unknown setting [index.foo]" },
    ],
    [
      "a plain error string (old engines, proxies)",
      { error: "Incorrect HTTP method for uri [/x]" },
      { reason: "Incorrect HTTP method for uri [/x]" },
    ],
    [
      "AWS gateway message",
      { Message: "User: arn:aws:iam::1:role/r is not authorized" },
      { reason: "User: arn:aws:iam::1:role/r is not authorized" },
    ],
    ["a JSON string body", '{"message":"Forbidden"}', { reason: "Forbidden" }],
    ["a text body", "<html>502 Bad Gateway</html>", { reason: "<html>502 Bad Gateway</html>" }],
    ["an empty body", "", {}],
  ])("%s", (_name, body, expected) => {
    expect(engineReason(body)).toEqual(expected);
  });

  it("shortens a long text body", () => {
    expect(engineReason("x".repeat(1000)).reason).toHaveLength(303);
  });
});

describe("statusHint", () => {
  it.each([
    [401, "credentials rejected"],
    [403, "permission denied"],
    [413, "send smaller batches"],
    [429, "overloaded"],
    [503, "unavailable"],
  ])("%i", (status, hint) => expect(statusHint(status)).toContain(hint));
  it("adds nothing to statuses the engine explains itself", () => expect(statusHint(409)).toBeUndefined());
});
