// Benchmarks of @nanots/tfs: building an image from a host tree (mkfs) and reading every file
// back, next to `cp -r` and `tar` of the same tree in the same run (MB/s: one op = 1 MiB).
//
// The tree: 1,000 files, 200 MiB (NANOTS_BENCH_REPS=1: 100 files, 20 MiB), in 10 directories,
// generated once under the OS temp directory. Page cache is warm for every contender alike.
// Ours writes with a non-durable file device (no fdatasync), as cp and tar do not sync either.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mulberry32, runSuites, type Suite } from "@nanots/bench-kit";
import { mkfs, Tfs } from "@nanots/tfs";
import { FileBlockDevice, nodeMkfsHost } from "@nanots/tfs/node";

const QUICK = process.env.NANOTS_BENCH_REPS === "1";
const FILES = QUICK ? 100 : 1000;
const TOTAL = (QUICK ? 20 : 200) * 1024 * 1024;
const DIRS = 10;
const ROOT = join(tmpdir(), `nanots-tfs-bench-${FILES}`);
const SRC = join(ROOT, "src");
const MB = TOTAL / (1024 * 1024);

/** Creates the tree once (deterministic sizes and bytes) and the manifest naming it. */
function ensureTree(): string {
  const manifest = join(ROOT, "manifest.txt");
  if (existsSync(manifest)) return manifest;
  rmSync(ROOT, { recursive: true, force: true });
  const random = mulberry32(42);
  const weights = Array.from({ length: FILES }, () => 0.2 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  let left = TOTAL;
  const lines = ["(children:("];
  for (let d = 0; d < DIRS; d++) {
    mkdirSync(join(SRC, `d${d}`), { recursive: true });
    lines.push(`  d${d}:(children:(`);
    for (let f = d; f < FILES; f += DIRS) {
      const size = f === FILES - 1 ? left : Math.min(left, Math.floor((weights[f]! / sum) * TOTAL));
      left -= size;
      const data = new Uint8Array(size);
      for (let i = 0; i < size; i += 4096) data[i] = random() * 256;
      writeFileSync(join(SRC, `d${d}`, `f${f}.bin`), data);
      lines.push(`    f${f}.bin:(contents:(host:${SRC}/d${d}/f${f}.bin))`);
    }
    lines.push("  ))");
  }
  lines.push("))");
  writeFileSync(manifest, lines.join("\n"));
  return manifest;
}

/** Every file under a host directory, read; the check is the total byte count. */
function readHostTree(dir: string): number {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    bytes += e.isDirectory() ? readHostTree(p) : readFileSync(p).length;
  }
  return bytes;
}

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { stdio: ["ignore", "ignore", "inherit"], maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed`);
}

const manifest = ensureTree();
const OUT = join(ROOT, "out");

/** An empty output directory for one repetition; returns the path of `name` in it. */
function freshOutput(name: string): string {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  return join(OUT, name);
}

const suite: Suite = {
  title: `TFS: build an image of ${FILES} files / ${MB} MiB, then read every file back (MiB/s)`,
  ops: { write: MB, read: MB },
  reps: 3,
  contenders: [
    {
      name: "nanots mkfs + Tfs.readFile",
      ours: true,
      make: () => {
        const image = freshOutput("image.img");
        return {
          write: () => {
            writeFileSync(image, "");
            const device = FileBlockDevice.open(image, { sectorCount: 2 ** 32, durable: false });
            mkfs(device, readFileSync(manifest), { host: nodeMkfsHost() });
            device.close();
            return TOTAL;
          },
          read: () => {
            const device = FileBlockDevice.open(image, { readOnly: true });
            const fs = Tfs.mount(device, { readOnly: true });
            let bytes = 0;
            for (const d of fs.readdir("/")) for (const f of fs.readdir(`/${d}`)) bytes += fs.readFile(`/${d}/${f}`).length;
            device.close();
            return bytes;
          },
        };
      },
    },
    {
      name: "cp -r + readFileSync",
      make: () => {
        const copy = freshOutput("copy");
        return {
          write: () => {
            run("cp", ["-r", SRC, copy]);
            return TOTAL;
          },
          read: () => readHostTree(copy),
        };
      },
    },
    {
      name: "tar -c + tar -x to stdout",
      make: () => {
        const archive = freshOutput("tree.tar");
        return {
          write: () => {
            run("tar", ["-cf", archive, "-C", SRC, "."]);
            return TOTAL;
          },
          read: () => {
            const r = spawnSync("tar", ["-xOf", archive], { maxBuffer: 2 * TOTAL });
            if (r.status !== 0) throw new Error("tar -x failed");
            return r.stdout.length;
          },
        };
      },
    },
  ],
};

runSuites(import.meta.url, [suite]);
if (process.env.NANOTS_BENCH_CHILD === undefined) console.log(`tree kept for the next run: ${SRC}`);
