import { defineConfig } from "vitest/config";

// One `vitest` runs every package; each package's own vitest.config.ts names its project.
export default defineConfig({
  test: {
    projects: ["packages/*", "tools/*"],
  },
});
