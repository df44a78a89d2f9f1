// Where the plugin's package is: its package.json is the first one above this file (plugin/ from source,
// dist/plugin/ built), and the folder whose node_modules hold it is where its optional dependencies go.
import { existsSync } from "node:fs";
import * as path from "node:path";

/** The package's folder (the one with its package.json). */
export function packageRoot(from = __dirname): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir))
    if (existsSync(path.join(dir, "package.json"))) return dir;
  throw new Error(`no package.json above ${from}`);
}

/** The folder to run `npm install` in so that the package finds another: the one whose node_modules hold it. */
export function installFolder(root: string): string {
  const parent = path.dirname(root);
  return path.basename(parent) === "node_modules" ? path.dirname(parent) : root;
}
