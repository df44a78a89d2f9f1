// eslint: syntax-level rules only (no type information), so `npm run lint` stays a few seconds.
// The layer rules keep the dynamic providers loadable on their own: Pulumi serializes them into the state and runs
// them in the engine's provider process, where a component or the automation entry has no business being loaded.
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import { importX } from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

const LIBRARY = ["index.ts", "provider/**/*.ts", "components/**/*.ts", "automation/**/*.ts", "compat/**/*.ts"];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".cache/", ".pulumi-state/", "test/world/pulumi-cli/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,mts,js,mjs}"],
    plugins: { "import-x": importX },
    languageOptions: { globals: globals.node },
    settings: {
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".mts"] },
      "import-x/extensions": [".ts", ".mts", ".js", ".mjs"],
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-self-import": "error",
      "@typescript-eslint/no-explicit-any": "off",
      // `require` inside functions is how optional peers (Alibaba's SDK, the AWS signer) load only when used, and the
      // only form Pulumi keeps as written in a serialized provider (provider/runtime/delegate.ts).
      "@typescript-eslint/no-require-imports": "off",
      // Errors raised from a caught one restate it for the user (what failed, the fix) and leave the original out on
      // purpose: a client error can carry request options (credentials) that must not reach the logs.
      "preserve-caught-error": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    // `any` is counted in the code the package ships (each one should say why); tests and scripts may use it.
    files: LIBRARY,
    rules: {
      "@typescript-eslint/no-explicit-any": "warn",
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./provider",
              from: ["./components", "./automation"],
              message:
                "provider/ is the lower layer: move what it needs under provider/ (components and automation import provider, not the reverse)",
            },
            {
              target: "./components",
              from: "./automation",
              message: "components/ must not import the automation entry",
            },
          ],
        },
      ],
    },
  },
);
