import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

const setupFile = fileURLToPath(new URL("./vitest.setup.ts", import.meta.url));

/**
 * The vitest project of one package. Sibling packages resolve to their TypeScript sources
 * through the `@nanots/source` export condition, so tests never need a prior build.
 */
export function packageProject(name: string) {
  const conditions = ["@nanots/source", "import", "module", "node", "default"];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@nanots/source"] } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      setupFiles: [setupFile],
      testTimeout: 60_000,
    },
  });
}
