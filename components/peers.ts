// The cloud entries' SDKs are optional peer dependencies: a program that imports an entry without them fails at
// the import, with the command that fixes it, rather than with a bare MODULE_NOT_FOUND deep inside the package.

function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return false;
    throw err;
  }
}

/** Throws, naming what to install, when any of `packages` cannot be loaded from this package's place. */
export function requirePeers(entry: string, packages: readonly string[]): void {
  const missing = packages.filter((name) => !installed(name));
  if (missing.length === 0) return;
  throw new Error(
    `${entry} needs ${missing.join(" and ")}, optional peer dependencies of pulumi-es-migrate that are not installed. ` +
      `Install them in your program: npm install ${missing.join(" ")}`,
  );
}
