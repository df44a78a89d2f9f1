import { describe, expect, it } from "vitest";
import { connectShared, sharedClientKey } from "../../provider/connection/shared";

const conn = { url: "http://127.0.0.1:1", username: "migrator", password: "s3cret-pass" };

describe("connectShared", () => {
  it("gives every caller of one connection, role and options the same client", () => {
    const a = connectShared(conn, "source");
    const b = connectShared({ ...conn }, "source");
    expect(a.request).toBe(b.request);
    expect(a.label).toBe("source http://127.0.0.1:1");
  });
  it("keeps clients apart by role, connection and options", () => {
    const a = connectShared(conn, "source");
    expect(connectShared(conn, "destination").request).not.toBe(a.request);
    expect(connectShared({ ...conn, password: "other" }, "source").request).not.toBe(a.request);
    expect(connectShared(conn, "source", { retry: { maxAttempts: 1 } }).request).not.toBe(a.request);
  });
  it("does not share a client built with AWS credentials of its own", () => {
    const awsCredentials = async () => ({ accessKeyId: "AKIA", secretAccessKey: "s" });
    const aws = { url: "https://search-x.eu-west-1.es.amazonaws.com", aws: { region: "eu-west-1" } };
    expect(sharedClientKey(aws, "destination", { awsCredentials })).toBeUndefined();
    expect(connectShared(aws, "destination", { awsCredentials }).request).not.toBe(
      connectShared(aws, "destination", { awsCredentials }).request,
    );
  });
  it("closes nothing: the next caller's client still works", async () => {
    const once = { retry: { maxAttempts: 1 } };
    await connectShared(conn, "source", once).close();
    // Nothing listens on port 1: the request still runs and fails as a connection error, not as a closed client's
    // ("There are no living connections").
    const error = await connectShared(conn, "source", once)
      .request({ method: "GET", path: "/", timeoutMs: 2000 })
      .catch((e: Error) => e);
    expect(String(error)).toMatch(/source http:\/\/127\.0\.0\.1:1/);
    expect(String(error)).not.toMatch(/no living connections|closed/i);
  });
});
