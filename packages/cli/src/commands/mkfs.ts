import { closeSync, openSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { mkfs, MkfsError, parseSize } from "@nanots/tfs";
import { FileBlockDevice, nodeMkfsHost } from "@nanots/tfs/node";
import { parseManifest, TupleError, type Tuple } from "@nanots/tuple";
import type { Command } from "../command.js";
import { parseArgs } from "../parse-args.js";
import { ProgressBar } from "../progress-bar.js";
import { UsageError } from "../usage-error.js";

/** Copies of more than this many bytes get a progress bar (when stderr is a terminal). */
const PROGRESS_THRESHOLD = 4 * 1024 * 1024;
/** The sparse capacity an image is built in before it is cut to size (2 TiB). */
const BUILD_CAPACITY_SECTORS = 2 ** 32;

/** `nanots mkfs`: Nanos `mkfs` — build a TFS image from a manifest on stdin. */
export const mkfsCommand: Command = {
  summary: "build a TFS image from a manifest read on stdin",
  usage: "nanots mkfs [-e] [-l label] [-s size] [-t tuple]... [-r target-root] IMAGE < MANIFEST",
  run(args, io) {
    const parsed = parseArgs(args, { e: "flag", l: "value", s: "value", t: "list", r: "value" });
    if (parsed.operands.length !== 1) throw new UsageError(parsed.operands.length === 0 ? "missing IMAGE" : "too many operands");
    const image = resolve(io.cwd, parsed.operands[0]!);
    const empty = parsed.flags.has("e");
    const sizeText = parsed.values.get("s");
    let size: number | undefined;
    try {
      size = sizeText === undefined ? undefined : parseSize(sizeText);
    } catch {
      throw new UsageError(`invalid size '${sizeText}'`);
    }
    const tuples: Tuple[] = (parsed.lists.get("t") ?? []).map((text) => {
      try {
        return parseManifest(text);
      } catch (e) {
        throw new UsageError(`-t ${text}: ${e instanceof TupleError ? e.message : String(e)}`);
      }
    });
    const manifest = empty ? new Uint8Array(0) : io.stdin();
    if (!empty && manifest.every((b) => b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d)) {
      io.stderr("mkfs: empty manifest on stdin\n");
      return 1;
    }
    const targetRoot = parsed.values.get("r");
    const host = nodeMkfsHost({ cwd: io.cwd, ...(targetRoot === undefined ? {} : { targetRoot }) });
    closeSync(openSync(image, "w"));
    const device = FileBlockDevice.open(image, { sectorCount: BUILD_CAPACITY_SECTORS, durable: false });
    const bar = new ProgressBar((t) => io.stderr(t), "mkfs");
    try {
      const label = parsed.values.get("l");
      const { report } = mkfs(device, manifest, {
        empty,
        tuples,
        host,
        ...(label === undefined ? {} : { label }),
        ...(size === undefined ? {} : { size }),
        onProgress: (done, total) => {
          if (io.stderrIsTTY && total > PROGRESS_THRESHOLD) bar.update(done, total);
        },
      });
      bar.done();
      io.stdout(report);
      return 0;
    } catch (e) {
      bar.done();
      if (e instanceof MkfsError) {
        io.stderr(`mkfs: ${e.message}\n`);
        rmSync(image, { force: true }); // no half-made image left behind
        return e.exitCode;
      }
      throw e;
    } finally {
      device.close();
    }
  },
};
