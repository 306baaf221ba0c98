import { resolve } from "node:path";
import { dumpMetadata, dumpTree, PartitionDevice, rootFilesystemStart, Tfs, TfsError, type BlockDevice } from "@nanots/tfs";
import { extractTo, FileBlockDevice } from "@nanots/tfs/node";
import type { Command } from "../command.js";
import { parseArgs } from "../parse-args.js";
import { UsageError } from "../usage-error.js";

/** `nanots dump`: Nanos `dump` — print an image's metadata or tree, or copy its files out. */
export const dumpCommand: Command = {
  summary: "print a TFS image's metadata (-t: tree), or copy its files out (-d DIR)",
  usage: "nanots dump [-d target-dir] [-t] IMAGE",
  run(args, io) {
    const parsed = parseArgs(args, { d: "value", t: "flag" });
    if (parsed.operands.length !== 1) throw new UsageError(parsed.operands.length === 0 ? "missing IMAGE" : "too many operands");
    let file: FileBlockDevice;
    try {
      file = FileBlockDevice.open(resolve(io.cwd, parsed.operands[0]!), { readOnly: true });
    } catch (e) {
      io.stderr(`dump: cannot open ${parsed.operands[0]!}: ${(e as Error).message}\n`);
      return 1;
    }
    try {
      const start = rootFilesystemStart(file);
      const device: BlockDevice = start === 0 ? file : new PartitionDevice(file, start);
      let fs: Tfs;
      try {
        fs = Tfs.mount(device, { readOnly: true });
      } catch (e) {
        if (!(e instanceof TfsError)) throw e;
        io.stderr(`dump: failed to initialize filesystem: ${e.message}\n`);
        return 1;
      }
      io.stdout(parsed.flags.has("t") ? dumpTree(fs) : dumpMetadata(fs));
      if (start !== 0) io.stdout(`detected filesystem at 0x${(start * 512).toString(16)}\n`);
      const target = parsed.values.get("d");
      if (target !== undefined) extractTo(fs, resolve(io.cwd, target));
      return 0;
    } finally {
      file.close();
    }
  },
};
