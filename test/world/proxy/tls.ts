// A throw-away CA and a server certificate for 127.0.0.1 / localhost, made with the `openssl` CLI (on the machine;
// no npm dependency). EC P-256 keys: generated in milliseconds and accepted by JDK 17 and Node.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface TestCertificates {
  /** PEM of the CA: what a client (or a destination node's `reindex.ssl.certificate_authorities`) trusts. */
  caCert: string;
  /** PEM key and certificate of the server, signed by the CA, valid for IP 127.0.0.1 and DNS localhost. */
  key: string;
  cert: string;
}

export function generateCertificates(days = 7): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "test-world-tls-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    ssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      String(days),
      "-subj",
      "/CN=test-world proxy CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    ssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    fs.writeFileSync(
      path.join(dir, "server.ext"),
      "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    );
    ssl(
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      String(days),
      "-extfile",
      "server.ext",
    );
    const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
    return { caCert: read("ca.pem"), key: read("server.key"), cert: read("server.pem") };
  } finally {
    // The CA key is gone with the folder: nothing else can ever be signed by this CA.
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
