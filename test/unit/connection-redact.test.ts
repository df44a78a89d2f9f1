import { afterEach, describe, expect, it } from "vitest";
import { redact } from "../../provider/connection";

const conn = { url: "http://h:9200", username: "elastic", password: "Pa55-word!", apiKey: undefined };

describe("redact", () => {
  afterEach(() => {
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_SESSION_TOKEN;
  });

  it.each([
    ["the password itself", "login failed for elastic with Pa55-word!", "login failed for elastic with [redacted]"],
    [
      "the basic-auth header value",
      `authorization: Basic ${Buffer.from("elastic:Pa55-word!").toString("base64")}`,
      "authorization: Basic [redacted]",
    ],
    ["credentials inside a URL", "GET http://elastic:other@h:9200/x", "GET http://[redacted]@h:9200/x"],
    ["a bearer token whatever its value", "Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"],
  ])("removes %s", (_name, text, expected) => {
    expect(redact(text, conn)).toBe(expected);
  });

  it("removes an API key in its base64 form and in its decoded id:key form", () => {
    const apiKey = Buffer.from("VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw").toString("base64");
    const c = { url: "http://h:9200", apiKey };
    const text = `key=${apiKey} id:key=VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw header=ApiKey ${apiKey}`;
    const out = redact(text, c);
    expect(out).not.toContain(apiKey);
    expect(out).not.toContain("ui2lp2axTNmsyakw9tvNnw");
  });

  it("removes AWS secrets from the environment, SigV4 signatures and session tokens", () => {
    process.env.AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    process.env.AWS_SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN";
    const text =
      "secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY token FwoGZXIvYXdzEXAMPLETOKEN " +
      "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/es/aws4_request, SignedHeaders=host, Signature=" +
      "a".repeat(64) +
      ' "x-amz-security-token":"othertoken"';
    const out = redact(text, { url: "https://h:443", aws: { region: "eu-west-1" } });
    expect(out).not.toContain("wJalrXUtnFEMI");
    expect(out).not.toContain("FwoGZXIvYXdzEXAMPLETOKEN");
    expect(out).not.toContain("a".repeat(64));
    expect(out).not.toContain("othertoken");
    expect(out).toContain("Credential=AKIDEXAMPLE"); // the key id is not a secret and helps debugging
  });

  it("leaves text without secrets alone", () => {
    const text =
      "destination http://h:9200: PUT /idx failed: 400 (resource_already_exists_exception: index [idx] already exists)";
    expect(redact(text, conn)).toBe(text);
  });
});
