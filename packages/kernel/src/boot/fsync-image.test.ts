// fsync and fdatasync make a guest's writes durable in the disk image itself: the image, read
// back with @nanots/tfs after the guest exits (without the sync a normal end of run does), holds
// what the guest synced, and not what it wrote after its last sync.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import { FileBlockDevice } from "@nanots/tfs/node";
import { MemoryBlockBackend } from "@nanots/virtio";
import { FileBlockBackend } from "@nanots/virtio/node";
import { describe, expect, it } from "vitest";
import { GUEST_DIR } from "../elf/guest-binaries.js";
import { buildImage } from "../node/build-image.js";
import { boot } from "./boot.js";

describe("fsync reaches the image", () => {
  for (const libc of ["musl", "glibc"]) {
    it(`${libc}/sys-sync: synced files are in the image, a later write is not`, async () => {
      const disk = new MemoryBlockBackend(buildImage({ program: `${GUEST_DIR}bin/${libc}/sys-sync`, guestPath: "/sys-sync", args: ["/tmp"] }));
      const out: Uint8Array[] = [];
      const vm = boot({ disk, memoryBytes: 128 << 20, stdout: (b) => out.push(b.slice()), stderr: (b) => out.push(b.slice()) });
      // The machine alone: Booted.run() would sync the filesystem once the program ends.
      const status = await vm.machine.run();
      expect(Buffer.concat(out).toString()).toMatch(/^0 failed$/m);
      expect(status).toBe(0);

      const image = Tfs.mount(MemoryBlockDevice.from(disk.data.slice()));
      const text = (path: string) => new TextDecoder().decode(image.readFile(path));
      expect(text("/tmp/sync-fsync")).toBe("made durable by fsync\n");
      expect(text("/tmp/sync-fdatasync")).toBe("made durable by fdatasync\n");
      expect(image.exists("/tmp/sync-late")).toBe(false);
      expect(image.exists("/tmp/sync-ro")).toBe(false);

      // The end of a normal run syncs the rest.
      vm.fs.sync();
      expect(new TextDecoder().decode(Tfs.mount(MemoryBlockDevice.from(disk.data.slice())).readFile("/tmp/sync-late"))).toBe("written after the last sync\n");
    }, 60_000);
  }

  it("the image file on the host holds what the guest fsynced", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nanots-fsync-"));
    try {
      const path = join(dir, "disk.img");
      writeFileSync(path, buildImage({ program: `${GUEST_DIR}bin/musl/sys-sync`, guestPath: "/sys-sync", args: ["/tmp"] }));
      // The default: writeback cache, sync mode (a guest fsync flushes with fdatasync in place).
      const disk = FileBlockBackend.open(path);
      const vm = boot({ disk, memoryBytes: 128 << 20, stdout: () => {}, stderr: () => {} });
      expect(await vm.machine.run()).toBe(0);
      disk.close();
      const device = FileBlockDevice.open(path, { readOnly: true });
      try {
        const image = Tfs.mount(device, { readOnly: true });
        expect(new TextDecoder().decode(image.readFile("/tmp/sync-fsync"))).toBe("made durable by fsync\n");
        expect(image.exists("/tmp/sync-late")).toBe(false);
      } finally {
        device.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
