import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { boot, BootError, ElfError, parseElf } from "@nanots/kernel";
import { buildImage, programDependencies, type ImageSpec } from "@nanots/kernel/node";
import { MemoryBlockBackend } from "@nanots/virtio";
import { FileBlockBackend } from "@nanots/virtio/node";
import type { Command } from "../command.js";
import { parseSize } from "@nanots/tfs";
import { UsageError } from "../usage-error.js";

const USAGE = `nanots run [options] PROGRAM [ARGS...]
  -e KEY=VALUE          set an environment variable (repeatable)
  --manifest FILE       add the attributes of a manifest file to the image's root tuple
  --mount HOST:GUEST    copy a host directory into the image (repeatable)
  --image FILE          boot an existing image instead of building one (PROGRAM is then optional)
  -m SIZE               guest memory (default 256M; K, M, G suffixes)
  -d                    log every system call, strace-style, to stderr (manifest: debugsyscalls)
  --noaslr              turn off address-space layout randomisation`;

interface RunOptions {
  env: Record<string, string>;
  mounts: Array<{ host: string; guest: string }>;
  manifest?: string;
  image?: string;
  memory: number;
  trace: boolean;
  noaslr: boolean;
  operands: string[];
}

/** Options end at the program: everything after it belongs to the program. */
function parseRunArgs(args: readonly string[]): RunOptions {
  const o: RunOptions = { env: {}, mounts: [], memory: 256 << 20, trace: false, noaslr: false, operands: [] };
  let i = 0;
  const value = (name: string): string => {
    const v = args[++i];
    if (v === undefined) throw new UsageError(`option ${name} needs a value`);
    return v;
  };
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    if (a === "-e") {
      const kv = value("-e");
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new UsageError(`-e wants KEY=VALUE, got ${JSON.stringify(kv)}`);
      o.env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a === "--mount") {
      const spec = value("--mount");
      const colon = spec.lastIndexOf(":");
      if (colon <= 0 || !spec.slice(colon + 1).startsWith("/")) throw new UsageError(`--mount wants HOST:/GUEST, got ${JSON.stringify(spec)}`);
      o.mounts.push({ host: spec.slice(0, colon), guest: spec.slice(colon + 1) });
    } else if (a === "--manifest") o.manifest = value("--manifest");
    else if (a === "--image") o.image = value("--image");
    else if (a === "-m") {
      const text = value("-m");
      try {
        o.memory = parseSize(text);
      } catch {
        throw new UsageError(`-m wants a size such as 512M, got ${JSON.stringify(text)}`);
      }
      if (o.memory < 16 << 20 || o.memory > 4 * 2 ** 30) throw new UsageError("-m must be between 16M and 4G");
    } else if (a === "-d") o.trace = true;
    else if (a === "--noaslr") o.noaslr = true;
    else if (a === "-p") throw new UsageError("-p: networking is not implemented yet in nanots");
    else throw new UsageError(`unknown option ${a}`);
  }
  o.operands = args.slice(i);
  return o;
}

/** `nanots run`: build an image around a program (or take one), boot it, and run it. */
export const runCommand: Command = {
  summary: "run a Linux x86-64 program in the nanots VM (builds the image as ops does)",
  usage: USAGE,
  async run(args, io) {
    const o = parseRunArgs(args);
    const say = (message: string): number => {
      io.stderr(`nanots run: ${message}\n`);
      return 1;
    };
    let disk;
    if (o.image !== undefined) {
      const path = resolve(io.cwd, o.image);
      if (!existsSync(path)) return say(`image ${o.image} does not exist`);
      disk = FileBlockBackend.open(path, { readOnly: true });
    } else {
      const [program, ...rest] = o.operands;
      if (program === undefined) throw new UsageError("missing PROGRAM");
      const path = resolve(io.cwd, program);
      if (!existsSync(path)) return say(`${program}: no such file`);
      if (!statSync(path).isFile()) return say(`${program}: not a regular file`);
      let spec: ImageSpec;
      try {
        parseElf(new Uint8Array(readFileSync(path)));
        spec = {
          program: path,
          args: rest,
          env: o.env,
          mounts: o.mounts.map((m) => ({ host: resolve(io.cwd, m.host), guest: m.guest })),
          files: programDependencies(path),
          flags: { ...(o.noaslr ? { noaslr: "t" } : {}) },
          ...(o.manifest !== undefined ? { manifest: readFileSync(resolve(io.cwd, o.manifest), "utf8") } : {}),
        };
        disk = new MemoryBlockBackend(buildImage(spec));
      } catch (e) {
        if (e instanceof ElfError) return say(`${program}: ${e.message}`);
        return say(e instanceof Error ? e.message : String(e));
      }
    }
    // The guest's fd 0 reads our standard input, taken whole on its first read.
    let input: Uint8Array | undefined;
    let consumed = 0;
    const stdin = (max: number): Uint8Array => {
      input ??= io.stdin();
      const chunk = input.subarray(consumed, consumed + max);
      consumed += chunk.length;
      return chunk;
    };
    try {
      const vm = boot({
        disk,
        memoryBytes: o.memory,
        ...(o.noaslr ? { aslr: false } : {}),
        stdin,
        stdout: (b) => io.stdout(b),
        stderr: (b) => io.stderr(new TextDecoder().decode(b)),
        ...(o.trace ? { trace: (e: { text: string }) => io.stderr(`${e.text}\n`) } : {}),
      });
      const status = await vm.run();
      const crash = vm.machine.crash;
      if (crash !== undefined) io.stderr(`nanots run: the program died: ${crash.message}\n`);
      return status;
    } catch (e) {
      if (e instanceof BootError || e instanceof ElfError) return say(e.message);
      throw e;
    }
  },
};
