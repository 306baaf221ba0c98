import { defineConfig, type Options } from "tsup";

/** The build of one package: ESM + .d.ts from src/index.ts (plus any extra entries). */
export function packageBuild(extra: Partial<Options> = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    target: "node20",
    dts: true,
    sourcemap: true,
    clean: true,
    tsconfig: "tsconfig.build.json",
    ...extra,
  });
}
