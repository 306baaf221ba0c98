import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_ERRNO } from "./errno.js";
import { TestMachine } from "./test-machine.js";
import { Tfs } from "@nanots/tfs";

/** Every entry under `/` with its kind and, for files, content. */
function tree(fs: Tfs, dir = "/"): string[] {
  const out: string[] = [];
  for (const d of fs.readdir(dir, { withFileTypes: true })) {
    const path = `${dir === "/" ? "" : dir}/${d.name}`;
    if (d.isDirectory()) out.push(`${path}/`, ...tree(fs, path));
    else if (d.isSymbolicLink()) out.push(`${path} -> ${fs.readlink(path)}`);
    else out.push(`${path}: ${Buffer.from(fs.readFile(path)).toString("hex")}`);
  }
  return out;
}

const PATHS = ["/", "/f", "/d", "/d/x", "/dev/zero", "/dev/null", "/dev/urandom", "/proc/self/exe", "/proc/self/maps", "", ".", "..", "/f/", "/link", "/loop", "x".repeat(300), "/d/../f"];

/** A fresh machine with a few files, paths in memory, and a kernel whose memory calls succeed. */
function machine() {
  let brk = 0x1000000;
  const m = new TestMachine({
    kernel: {
      // A memory manager that accepts any user-half address and refuses the rest, as a kernel would.
      brk: (a) => (a > 0 && a < 2 ** 47 ? (brk = a) : brk),
      mmap: (a) => (a > 0 && a < 2 ** 47 ? a : 0x7f0000000000),
      munmap: () => 0,
      mprotect: () => 0,
      mremap: (a) => (a > 0 && a < 2 ** 47 ? a : -12),
      archPrctl: () => 0,
    },
  });
  m.fs.writeFile("/f", "hello world\n");
  m.fs.mkdir("/d");
  m.fs.symlink("/f", "/link");
  m.fs.symlink("/loop", "/loop");
  const paths = PATHS.map((p) => m.str(p));
  return { m, paths };
}

const TWO_63 = 2 ** 63;
/** Runs of the random-call properties; raise it for a longer fuzzing session (`NANOTS_FUZZ_RUNS=5000`). */
const RUNS = Number(process.env.NANOTS_FUZZ_RUNS ?? 60);

/** Register values a hostile or buggy guest might pass: small ints, fds, flags, pointers good and bad, extremes. */
function registerValue(m: TestMachine, paths: number[]): fc.Arbitrary<number> {
  const base = m.mem.base;
  const end = base + m.mem.bytes.length;
  return fc.oneof(
    fc.integer({ min: -5, max: 70 }),
    fc.constantFrom(-100, 0xffffff9c, -1, 0xffffffff, 2 ** 31, 2 ** 32, 2 ** 47, 2 ** 53 - 1, -(2 ** 53), -TWO_63, 0x7ffff000),
    fc.constantFrom(...paths),
    fc.integer({ min: base, max: end + 16 }),
    fc.integer({ min: end - 64, max: end + 64 }),
    fc.integer({ min: 0, max: 0x20000 }),
    fc.integer({ min: 0, max: 2 ** 32 }),
    fc.maxSafeInteger(),
    // Outside the contract (registers are integers), but a caller's bug must not crash us either.
    fc.constantFrom(Number.NaN, Infinity, -Infinity, 0.5, -0, 2 ** 64, -(2 ** 70)),
  );
}

describe("createSyscalls under random calls", () => {
  it("never throws, returns only integers, and reports no internal error", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const { m, paths } = machine();
        const calls = fc.sample(
          fc.tuple(fc.oneof(fc.integer({ min: 0, max: 335 }), fc.integer({ min: 420, max: 470 }), fc.integer({ min: -3, max: 2 ** 40 })), fc.array(registerValue(m, paths), { minLength: 6, maxLength: 6 })),
          { numRuns: 60, seed },
        );
        for (const [nr, args] of calls) {
          const r = m.sys(nr, args);
          expect(Number.isSafeInteger(r), `${nr}(${args.join(", ")}) gave ${r}`).toBe(true);
          if (r < 0) expect(r, `${nr}(${args.join(", ")})`).toBeGreaterThanOrEqual(-MAX_ERRNO);
        }
        expect(m.internalErrors.map(String)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it("file syscalls with plausible arguments keep the fd table and TFS consistent", () => {
    const names = ["open", "openat", "read", "write", "pread64", "pwrite64", "lseek", "close", "dup", "dup2", "dup3", "fcntl", "ftruncate", "unlink", "rename", "mkdir", "rmdir", "getdents64", "fstat", "newfstatat", "symlink", "readlink", "chdir", "fchdir", "fallocate", "link", "linkat", "renameat2", "copy_file_range", "sendfile", "truncate", "utimensat"] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const { m, paths } = machine();
        const buf = m.alloc(4096);
        const value = fc.oneof(fc.integer({ min: -1, max: 8 }), fc.constantFrom(...paths), fc.constant(buf), fc.constantFrom(0o102, 0o2, 0o1101, 0o2000, 0o200000, 4096, -100));
        const calls = fc.sample(fc.tuple(fc.constantFrom(...names), fc.array(value, { minLength: 6, maxLength: 6 })), { numRuns: 80, seed });
        for (const [name, args] of calls) {
          const r = m.call(name, ...args);
          expect(Number.isSafeInteger(r)).toBe(true);
        }
        expect(m.internalErrors.map(String)).toEqual([]);
        // Whatever happened, the image mounts again with the same tree and contents.
        m.fs.sync();
        expect(tree(Tfs.mount(m.fs.device))).toEqual(tree(m.fs));
      }),
      { numRuns: Math.ceil(RUNS * 0.66) },
    );
  });
});
