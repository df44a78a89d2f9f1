// Runs the local example from a clone of this repository: the root Pulumi.yaml points here, so
// `npm run pulumi -- preview` works at the root after `npm install` (which builds dist/).
//
// Why not run dist/examples/local/index.js directly: inside the repository, `require("pulumi-es-migrate")` resolves
// to the repository itself (a package may import itself by name through its "exports"), outside any node_modules.
// Pulumi then serializes the dynamic providers' modules by value instead of as `require("pulumi-es-migrate/...")`,
// and that fails (measured: "error serializing property __provider ... module './dist/provider/connection/schema.js'").
// So this installs the built package the way npm would (package.json and dist/ copied into
// node_modules/pulumi-es-migrate) and runs the example from that copy, which imports the package as a user's program does.
import * as fs from "node:fs";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const installed = path.join(repoRoot, "node_modules", "pulumi-es-migrate");

/** Replaces node_modules/pulumi-es-migrate with a fresh copy of package.json and dist/ (one rename, so a concurrent run never sees half a copy). */
function installCopy(): void {
  const staging = `${installed}.staging-${process.pid}`;
  const old = `${installed}.old-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.copyFileSync(path.join(repoRoot, "package.json"), path.join(staging, "package.json"));
  fs.cpSync(path.join(repoRoot, "dist"), path.join(staging, "dist"), { recursive: true });
  if (fs.existsSync(installed)) fs.renameSync(installed, old);
  fs.renameSync(staging, installed);
  fs.rmSync(old, { recursive: true, force: true });
}

installCopy();
module.exports = require(path.join(installed, "dist", "examples", "local", "index.js"));
