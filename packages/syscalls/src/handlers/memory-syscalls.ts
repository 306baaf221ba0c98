import { fail } from "../linux-error.js";
import { MapFlag, MapType, Prot } from "../linux-constants.js";
import type { FileDescription } from "../vfs/file-description.js";
import { RegularFileDescription } from "../vfs/regular-file.js";
import { int, uint, usize } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";

const PAGE = 4096;
/** Beyond the 47-bit user half no mapping can exist. */
const USER_TOP = 2 ** 47;
/**
 * The flags MAP_SHARED_VALIDATE accepts for a file: the legacy ones, MAP_FIXED_NOREPLACE and
 * the huge-page size bits (MAP_SYNC needs a DAX file, which nanots has none of).
 */
const VALIDATED_FLAGS = MapType.MAP_SHARED_VALIDATE | 0xfc000000 | (Object.values(MapFlag).reduce((a, b) => a | b, 0) & ~MapFlag.MAP_SYNC);

/**
 * brk, mmap, munmap, mprotect, mremap, madvise, msync, mincore: the arguments are checked as
 * Linux checks them, then the kernel's memory manager does the work.
 * @internal
 */
export function memorySyscalls(env: HandlerEnv): HandlerGroup {
  const { kernel } = env.ctx;
  const { fds } = env;

  const pageAligned = (addr: number): void => {
    if (addr % PAGE !== 0) fail("EINVAL", "address not page aligned");
  };
  const hook = <T>(f: T | undefined): T => {
    if (f === undefined) fail("ENOMEM", "no memory manager");
    return f;
  };

  return {
    brk: ([addr]) => (kernel.brk === undefined ? fail("ENOMEM", "no memory manager") : kernel.brk(addr!)),
    mmap: ([addr, len, prot, flags, fd, off]) => {
      const length = usize(len!);
      const f = uint(flags!);
      const p = uint(prot!);
      if (length === 0) fail("EINVAL", "zero length");
      if (off! % PAGE !== 0 || off! < 0) fail("EINVAL", "offset not page aligned");
      const type = f & 0xf;
      if (type !== MapType.MAP_SHARED && type !== MapType.MAP_PRIVATE && type !== MapType.MAP_SHARED_VALIDATE) fail("EINVAL", "mapping type");
      if (length > USER_TOP) fail("ENOMEM", "length");
      if ((f & (MapFlag.MAP_FIXED | MapFlag.MAP_FIXED_NOREPLACE)) !== 0) pageAligned(addr!);
      let file: FileDescription | undefined;
      if ((f & MapFlag.MAP_ANONYMOUS) === 0) {
        file = fds.get(int(fd!));
        if (!(file instanceof RegularFileDescription) && file.stat().rdev === 0) fail("ENODEV", "not a mappable file");
        if (!file.readable) fail("EACCES", "file not open for reading");
        if (type !== MapType.MAP_PRIVATE && (p & Prot.PROT_WRITE) !== 0 && !file.writable) fail("EACCES", "shared writable mapping of a read-only fd");
        if (type === MapType.MAP_SHARED_VALIDATE && (f & ~VALIDATED_FLAGS) !== 0) fail("EOPNOTSUPP", "unknown mmap flags");
      }
      return hook(kernel.mmap)(addr!, length, p, f, file, off!);
    },
    munmap: ([addr, len]) => {
      pageAligned(addr!);
      if (usize(len!) === 0) fail("EINVAL", "zero length");
      return hook(kernel.munmap)(addr!, usize(len!));
    },
    mprotect: ([addr, len, prot]) => {
      pageAligned(addr!);
      return hook(kernel.mprotect)(addr!, usize(len!), uint(prot!));
    },
    mremap: ([addr, oldLen, newLen, flags, newAddr]) => {
      pageAligned(addr!);
      if (usize(newLen!) === 0) fail("EINVAL", "zero length");
      return hook(kernel.mremap)(addr!, usize(oldLen!), usize(newLen!), uint(flags!), newAddr!);
    },
    madvise: ([addr, len, advice]) => {
      pageAligned(addr!);
      return kernel.madvise === undefined ? 0 : kernel.madvise(addr!, usize(len!), int(advice!));
    },
    msync: ([addr, len, flags]) => {
      pageAligned(addr!);
      const f = int(flags!);
      if ((f & ~7) !== 0 || ((f & 1) !== 0 && (f & 4) !== 0)) fail("EINVAL", "msync flags");
      return kernel.msync === undefined ? 0 : kernel.msync(addr!, usize(len!), f);
    },
    mincore: ([addr, len, vec]) => {
      pageAligned(addr!);
      return hook(kernel.mincore)(addr!, usize(len!), vec!);
    },
    arch_prctl: ([code, addr]) => (kernel.archPrctl === undefined ? fail("EINVAL", "no arch_prctl") : kernel.archPrctl(int(code!), addr!)),
  };
}
