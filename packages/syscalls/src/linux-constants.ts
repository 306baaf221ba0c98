/**
 * Linux x86-64 constants that syscall arguments carry, in the order strace lists flags.
 * Numbers are the kernel's (`<asm-generic/fcntl.h>`, `<asm/mman.h>`, `<linux/sched.h>`…).
 */

/** `open` flags (the access mode is `flags & O_ACCMODE`). */
export const OpenFlag = {
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_NOCTTY: 0o400,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_NONBLOCK: 0o4000,
  O_SYNC: 0o4010000,
  O_DSYNC: 0o10000,
  O_DIRECT: 0o40000,
  O_LARGEFILE: 0o100000,
  O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000,
  O_PATH: 0o10000000,
  O_TMPFILE: 0o20200000,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_ASYNC: 0o20000,
} as const;

/** `open` access modes. */
export const AccessMode = { O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2 } as const;
/** Mask of the access mode in `open` flags. */
export const O_ACCMODE = 3;

/** `mmap`/`mprotect` protection bits. */
export const Prot = {
  PROT_READ: 1,
  PROT_WRITE: 2,
  PROT_EXEC: 4,
  PROT_SEM: 8,
  PROT_GROWSDOWN: 0x01000000,
  PROT_GROWSUP: 0x02000000,
} as const;

/** `mmap` mapping types (`flags & 0xf`). */
export const MapType = { MAP_SHARED: 1, MAP_PRIVATE: 2, MAP_SHARED_VALIDATE: 3 } as const;

/** `mmap` flags besides the type. */
export const MapFlag = {
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x20,
  MAP_32BIT: 0x40,
  MAP_GROWSDOWN: 0x100,
  MAP_DENYWRITE: 0x800,
  MAP_EXECUTABLE: 0x1000,
  MAP_LOCKED: 0x2000,
  MAP_NORESERVE: 0x4000,
  MAP_POPULATE: 0x8000,
  MAP_NONBLOCK: 0x10000,
  MAP_STACK: 0x20000,
  MAP_HUGETLB: 0x40000,
  MAP_SYNC: 0x80000,
  MAP_FIXED_NOREPLACE: 0x100000,
} as const;

/** `mremap` flags. */
export const MremapFlag = { MREMAP_MAYMOVE: 1, MREMAP_FIXED: 2, MREMAP_DONTUNMAP: 4 } as const;
/** `msync` flags. */
export const MsyncFlag = { MS_ASYNC: 1, MS_INVALIDATE: 2, MS_SYNC: 4 } as const;

/** `madvise` advice values. */
export const Madvise = {
  MADV_NORMAL: 0, MADV_RANDOM: 1, MADV_SEQUENTIAL: 2, MADV_WILLNEED: 3, MADV_DONTNEED: 4,
  MADV_FREE: 8, MADV_REMOVE: 9, MADV_DONTFORK: 10, MADV_DOFORK: 11, MADV_MERGEABLE: 12,
  MADV_UNMERGEABLE: 13, MADV_HUGEPAGE: 14, MADV_NOHUGEPAGE: 15, MADV_DONTDUMP: 16, MADV_DODUMP: 17,
  MADV_WIPEONFORK: 18, MADV_KEEPONFORK: 19, MADV_COLD: 20, MADV_PAGEOUT: 21,
} as const;

/** `clone` flags (the low byte is the exit signal). */
export const CloneFlag = {
  CLONE_VM: 0x100,
  CLONE_FS: 0x200,
  CLONE_FILES: 0x400,
  CLONE_SIGHAND: 0x800,
  CLONE_PIDFD: 0x1000,
  CLONE_PTRACE: 0x2000,
  CLONE_VFORK: 0x4000,
  CLONE_PARENT: 0x8000,
  CLONE_THREAD: 0x10000,
  CLONE_NEWNS: 0x20000,
  CLONE_SYSVSEM: 0x40000,
  CLONE_SETTLS: 0x80000,
  CLONE_PARENT_SETTID: 0x100000,
  CLONE_CHILD_CLEARTID: 0x200000,
  CLONE_DETACHED: 0x400000,
  CLONE_UNTRACED: 0x800000,
  CLONE_CHILD_SETTID: 0x1000000,
  CLONE_NEWCGROUP: 0x2000000,
  CLONE_NEWUTS: 0x4000000,
  CLONE_NEWIPC: 0x8000000,
  CLONE_NEWUSER: 0x10000000,
  CLONE_NEWPID: 0x20000000,
  CLONE_NEWNET: 0x40000000,
  CLONE_IO: 0x80000000,
} as const;

/** `futex` commands (`op & FUTEX_CMD_MASK`). */
export const FutexCmd = {
  FUTEX_WAIT: 0, FUTEX_WAKE: 1, FUTEX_FD: 2, FUTEX_REQUEUE: 3, FUTEX_CMP_REQUEUE: 4,
  FUTEX_WAKE_OP: 5, FUTEX_LOCK_PI: 6, FUTEX_UNLOCK_PI: 7, FUTEX_TRYLOCK_PI: 8,
  FUTEX_WAIT_BITSET: 9, FUTEX_WAKE_BITSET: 10, FUTEX_WAIT_REQUEUE_PI: 11,
  FUTEX_CMP_REQUEUE_PI: 12, FUTEX_LOCK_PI2: 13,
} as const;
/** `futex` op modifier: process-private futex. */
export const FUTEX_PRIVATE_FLAG = 128;
/** `futex` op modifier: timeouts measured on CLOCK_REALTIME. */
export const FUTEX_CLOCK_REALTIME = 256;
/** Mask of the command in a `futex` op. */
export const FUTEX_CMD_MASK = 0x7f;

/** Signal numbers (x86-64). */
export const Signal = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22,
  SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29,
  SIGPWR: 30, SIGSYS: 31,
} as const;
/** Highest signal number (`_NSIG - 1`); 32…64 are real-time signals. */
export const SIGNAL_MAX = 64;

/** `rt_sigprocmask` `how`. */
export const SigHow = { SIG_BLOCK: 0, SIG_UNBLOCK: 1, SIG_SETMASK: 2 } as const;

/** The `dirfd` meaning "the current directory". */
export const AT_FDCWD = -100;
/** `*at` flags. */
export const AtFlag = {
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_REMOVEDIR: 0x200,
  AT_SYMLINK_FOLLOW: 0x400,
  AT_NO_AUTOMOUNT: 0x800,
  AT_EMPTY_PATH: 0x1000,
  AT_STATX_FORCE_SYNC: 0x2000,
  AT_STATX_DONT_SYNC: 0x4000,
  AT_RECURSIVE: 0x8000,
} as const;
/** `faccessat` flag: check with the effective ids (same bit as `AT_REMOVEDIR`). */
export const AT_EACCESS = 0x200;

/** `lseek` whence. */
export const Seek = { SEEK_SET: 0, SEEK_CUR: 1, SEEK_END: 2, SEEK_DATA: 3, SEEK_HOLE: 4 } as const;

/** `access` mode bits (`F_OK` is 0). */
export const AccessCheck = { R_OK: 4, W_OK: 2, X_OK: 1 } as const;

/** Clock ids. */
export const Clock = {
  CLOCK_REALTIME: 0, CLOCK_MONOTONIC: 1, CLOCK_PROCESS_CPUTIME_ID: 2, CLOCK_THREAD_CPUTIME_ID: 3,
  CLOCK_MONOTONIC_RAW: 4, CLOCK_REALTIME_COARSE: 5, CLOCK_MONOTONIC_COARSE: 6, CLOCK_BOOTTIME: 7,
  CLOCK_REALTIME_ALARM: 8, CLOCK_BOOTTIME_ALARM: 9, CLOCK_TAI: 11,
} as const;

/** `ioctl` requests the console and files answer (terminal and generic file ones). */
export const Ioctl = {
  TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404, TIOCGPGRP: 0x540f,
  TIOCSPGRP: 0x5410, TIOCGWINSZ: 0x5413, TIOCSWINSZ: 0x5414, FIONREAD: 0x541b, FIONBIO: 0x5421,
  FIONCLEX: 0x5450, FIOCLEX: 0x5451, FIOASYNC: 0x5452,
} as const;

/** `fcntl` commands. */
export const Fcntl = {
  F_DUPFD: 0, F_GETFD: 1, F_SETFD: 2, F_GETFL: 3, F_SETFL: 4, F_GETLK: 5, F_SETLK: 6, F_SETLKW: 7,
  F_SETOWN: 8, F_GETOWN: 9, F_SETSIG: 10, F_GETSIG: 11, F_SETOWN_EX: 15, F_GETOWN_EX: 16,
  F_OFD_GETLK: 36, F_OFD_SETLK: 37, F_OFD_SETLKW: 38, F_SETLEASE: 1024, F_GETLEASE: 1025,
  F_NOTIFY: 1026, F_DUPFD_CLOEXEC: 1030, F_SETPIPE_SZ: 1031, F_GETPIPE_SZ: 1032,
  F_ADD_SEALS: 1033, F_GET_SEALS: 1034,
} as const;
/** The fd flag `fcntl(F_GETFD)` reports. */
export const FD_CLOEXEC = 1;

/** `arch_prctl` codes. */
export const ArchPrctl = {
  ARCH_SET_GS: 0x1001, ARCH_SET_FS: 0x1002, ARCH_GET_FS: 0x1003, ARCH_GET_GS: 0x1004,
  ARCH_GET_CPUID: 0x1011, ARCH_SET_CPUID: 0x1012,
} as const;

/** Resource limits. */
export const Rlimit = {
  RLIMIT_CPU: 0, RLIMIT_FSIZE: 1, RLIMIT_DATA: 2, RLIMIT_STACK: 3, RLIMIT_CORE: 4, RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6, RLIMIT_NOFILE: 7, RLIMIT_MEMLOCK: 8, RLIMIT_AS: 9, RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11, RLIMIT_MSGQUEUE: 12, RLIMIT_NICE: 13, RLIMIT_RTPRIO: 14, RLIMIT_RTTIME: 15,
} as const;

/** `getrusage` targets. */
export const Rusage = { RUSAGE_SELF: 0, RUSAGE_CHILDREN: -1, RUSAGE_THREAD: 1 } as const;

/** `prctl` options nanots answers (linux/prctl.h). */
export const Prctl = {
  PR_SET_PDEATHSIG: 1, PR_GET_PDEATHSIG: 2, PR_GET_DUMPABLE: 3, PR_SET_DUMPABLE: 4,
  PR_GET_KEEPCAPS: 7, PR_SET_KEEPCAPS: 8, PR_SET_NAME: 15, PR_GET_NAME: 16, PR_CAPBSET_READ: 23,
  PR_SET_TIMERSLACK: 29, PR_GET_TIMERSLACK: 30, PR_SET_CHILD_SUBREAPER: 36, PR_GET_CHILD_SUBREAPER: 37,
  PR_SET_NO_NEW_PRIVS: 38, PR_GET_NO_NEW_PRIVS: 39, PR_SET_THP_DISABLE: 41, PR_GET_THP_DISABLE: 42,
} as const;

/** `capget`/`capset` header versions. */
export const CapVersion = {
  _LINUX_CAPABILITY_VERSION_1: 0x19980330, _LINUX_CAPABILITY_VERSION_2: 0x20071026, _LINUX_CAPABILITY_VERSION_3: 0x20080522,
} as const;

/** `getrandom` flags. */
export const GrndFlag = { GRND_NONBLOCK: 1, GRND_RANDOM: 2, GRND_INSECURE: 4 } as const;

/** File type bits of `st_mode`. */
export const FileType = {
  S_IFSOCK: 0o140000, S_IFLNK: 0o120000, S_IFREG: 0o100000, S_IFBLK: 0o060000, S_IFDIR: 0o040000,
  S_IFCHR: 0o020000, S_IFIFO: 0o010000,
} as const;
/** Mask of the file type in `st_mode`. */
export const S_IFMT = 0o170000;

/** `d_type` values of `linux_dirent64`. */
export const DirentType = { DT_UNKNOWN: 0, DT_FIFO: 1, DT_CHR: 2, DT_DIR: 4, DT_BLK: 6, DT_REG: 8, DT_LNK: 10, DT_SOCK: 12 } as const;

/** `renameat2` flags. */
export const RenameFlag = { RENAME_NOREPLACE: 1, RENAME_EXCHANGE: 2, RENAME_WHITEOUT: 4 } as const;
/** `fallocate` modes. */
export const FallocFlag = {
  FALLOC_FL_KEEP_SIZE: 1, FALLOC_FL_PUNCH_HOLE: 2, FALLOC_FL_NO_HIDE_STALE: 4, FALLOC_FL_COLLAPSE_RANGE: 8,
  FALLOC_FL_ZERO_RANGE: 0x10, FALLOC_FL_INSERT_RANGE: 0x20, FALLOC_FL_UNSHARE_RANGE: 0x40,
} as const;
/** `fadvise64` advice. */
export const Fadvise = {
  POSIX_FADV_NORMAL: 0, POSIX_FADV_RANDOM: 1, POSIX_FADV_SEQUENTIAL: 2, POSIX_FADV_WILLNEED: 3,
  POSIX_FADV_DONTNEED: 4, POSIX_FADV_NOREUSE: 5,
} as const;
/** `statx` mask bits, in the order strace lists them (the basic set first, as one name). */
export const StatxMask = {
  STATX_BASIC_STATS: 0x7ff, STATX_TYPE: 0x1, STATX_MODE: 0x2, STATX_NLINK: 0x4, STATX_UID: 0x8, STATX_GID: 0x10,
  STATX_ATIME: 0x20, STATX_MTIME: 0x40, STATX_CTIME: 0x80, STATX_INO: 0x100, STATX_SIZE: 0x200, STATX_BLOCKS: 0x400,
  STATX_BTIME: 0x800, STATX_MNT_ID: 0x1000, STATX_DIOALIGN: 0x2000,
} as const;
