// Finds the shared libraries of a dynamic program on the host as `ldd` would (without running
// anything): DT_NEEDED names, searched in DT_RUNPATH/RPATH, then the ld.so.conf directories and
// the default ones, recursively.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { dynamicNeeds } from "../elf/dynamic-section.js";
import { parseElf } from "../elf/parse-elf.js";

const DEFAULT_DIRS = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

/** The directories /etc/ld.so.conf (and its includes) lists. */
function ldSoConfDirs(): string[] {
  const dirs: string[] = [];
  const visit = (file: string, depth: number): void => {
    if (depth > 8 || !existsSync(file)) return;
    for (const raw of readFileSync(file, "utf8").split("\n")) {
      const line = raw.replace(/#.*/, "").trim();
      if (line.startsWith("include ")) {
        const pattern = line.slice(8).trim();
        const dir = dirname(pattern);
        const suffix = pattern.endsWith("*.conf") ? ".conf" : "";
        if (existsSync(dir)) for (const f of readdirSync(dir).sort()) if (f.endsWith(suffix)) visit(join(dir, f), depth + 1);
      } else if (line.startsWith("/")) dirs.push(line);
    }
  };
  visit("/etc/ld.so.conf", 0);
  return dirs;
}

/** A library the program needs: its host path, and the path it gets in the image (the same). */
export interface ResolvedLibrary {
  name: string;
  path: string;
}

/** Resolves every library `program` needs; throws an Error naming a library that is not found. */
export function resolveLibraries(program: string): ResolvedLibrary[] {
  const found = new Map<string, string>();
  const searchDirs = [...ldSoConfDirs(), ...DEFAULT_DIRS];
  const queue: Array<{ file: string; origin: string }> = [{ file: program, origin: dirname(program) }];
  while (queue.length > 0) {
    const { file, origin } = queue.shift()!;
    const bytes = new Uint8Array(readFileSync(file));
    const needs = dynamicNeeds(bytes, parseElf(bytes));
    const runpath = needs.runpath.map((p) => p.replace(/\$ORIGIN|\$\{ORIGIN\}/g, origin));
    for (const name of needs.needed) {
      if (found.has(name)) continue;
      const dirs = name.includes("/") ? [""] : [...runpath, ...searchDirs];
      const path = dirs.map((d) => (d === "" ? name : join(d, name))).find((p) => existsSync(p));
      if (path === undefined) throw new Error(`${name}, needed by ${file}, is not in ${[...runpath, ...searchDirs].join(", ")}`);
      found.set(name, path);
      queue.push({ file: path, origin: dirname(path) });
    }
  }
  return [...found].map(([name, path]) => ({ name, path }));
}
