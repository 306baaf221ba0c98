#!/usr/bin/env node
// Creates packages/<name> with the layout every nanots package shares.
// Usage: node scripts/new-package.mjs <name> "<one-line description>" [dep ...]
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [name, description, ...deps] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !description) {
  console.error('usage: node scripts/new-package.mjs <name> "<description>" [internal-dep ...]');
  process.exit(2);
}
const dir = join("packages", name);
if (existsSync(dir)) {
  console.error(`${dir} already exists`);
  process.exit(1);
}
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "bench"), { recursive: true });

const pkg = {
  name: `@nanots/${name}`,
  version: "0.1.0",
  description,
  license: "Apache-2.0",
  type: "module",
  sideEffects: false,
  exports: {
    "./package.json": "./package.json",
    ".": { "@nanots/source": "./src/index.ts", types: "./dist/index.d.ts", import: "./dist/index.js" },
    "./internal/*": null,
  },
  types: "./dist/index.d.ts",
  files: ["dist", "src", "!src/**/*.test.ts"],
  engines: { node: ">=20.19" },
  scripts: {
    build: "tsup",
    typecheck: "tsc -p .",
    test: "vitest run",
    bench: "node --conditions=@nanots/source --import tsx bench/index.ts",
  },
  dependencies: Object.fromEntries(deps.map((d) => [`@nanots/${d}`, "^0.1.0"])),
  devDependencies: { "@nanots/bench-kit": "*" },
  publishConfig: { access: "public" },
  repository: { type: "git", url: "git+https://github.com/nanots/nanots.git", directory: dir },
};
const files = {
  "package.json": JSON.stringify(pkg, null, 2) + "\n",
  "tsconfig.json": JSON.stringify({ extends: "../../tsconfig.base.json", compilerOptions: { types: ["node"] }, include: ["src", "bench"] }, null, 2) + "\n",
  "tsconfig.build.json":
    JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { customConditions: [], noEmit: false }, include: ["src"], exclude: ["src/**/*.test.ts"] }, null, 2) + "\n",
  "tsup.config.ts": 'import { packageBuild } from "../../tsup.shared.js";\n\nexport default packageBuild();\n',
  "vitest.config.ts": `import { packageProject } from "../../vitest.shared.js";\n\nexport default packageProject("${name}");\n`,
  "src/index.ts": `// Public API of @nanots/${name}: re-exports only.\n`,
  "bench/index.ts": `// Benchmarks of @nanots/${name} against its npm peers (see @nanots/bench-kit).\n`,
  "README.md": `# @nanots/${name}\n\n${description}\n\n\`\`\`sh\nnpm install @nanots/${name}\n\`\`\`\n`,
};
for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
console.log(`created ${dir}; run npm install to link it`);
