// pipe2 and socketpair hand the guest two new descriptors in an int[2].
import { fail, type FdTable, type UserMemory } from "@nanots/syscalls";

/** Writes fds `a` and `b` to the int[2] at `addr`; when it cannot, closes both and fails with EFAULT. */
export function writeFdPair(memory: UserMemory, fds: FdTable, addr: number, a: number, b: number): void {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setInt32(0, a, true);
  view.setInt32(4, b, true);
  if (memory.write(addr, out)) return;
  fds.close(a);
  fds.close(b);
  fail("EFAULT");
}
