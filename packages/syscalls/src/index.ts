/**
 * `@nanots/syscalls`: the Linux x86-64 system call layer of Nanos: the syscall table and
 * errno names, struct codecs, strace-style formatting, the fd table, a VFS over TFS, and the
 * dispatcher that ties them together.
 *
 * @module @nanots/syscalls
 */
export { Errno, ERRNO_ALIASES, errnoMessage, errnoName, isErrorResult, MAX_ERRNO, type ErrnoName } from "./errno.js";
export { syscallByName, syscallInfo, syscallName, SYSCALLS, type ArgKind, type NanosStatus, type SyscallInfo } from "./syscall-table.js";
export * from "./linux-constants.js";
export {
  formatAccessMode, formatCloneFlags, formatDirfd, formatEnum, formatFlags, formatFutexOp, formatMmapFlags, formatMode,
  formatOpenFlags, formatProt, hex, signalName, type Names,
} from "./flag-names.js";
export {
  ArrayUserMemory, readI32, readI64, readIovecs, readU32, readU64, UIO_MAXIOV, writeU32, writeU64, type UserMemory,
} from "./user-memory.js";
export { decodeIovecs, encodeIovecs, IOVEC_SIZE, type Iovec } from "./structs/iovec.js";
export { checkSigsetSize, encodeSigset, readSigset, SIGSET_SIZE, UNBLOCKABLE_SIGNALS } from "./structs/sigset.js";
export { decodeStat, encodeStat, STAT_SIZE, type StatData } from "./structs/stat.js";
export { decodeStatx, encodeStatx, STATX_BASIC_STATS, STATX_SIZE, type StatxData } from "./structs/statx.js";
export { decodeTimespec, encodeTimespec, encodeTimeval, isValidTimespec, timespecFromNanos, TIMESPEC_SIZE, type Timespec } from "./structs/timespec.js";
export { decodeUtsname, encodeUtsname, UTSNAME_SIZE, type Utsname } from "./structs/utsname.js";
export { decodeStatfs, encodeStatfs, STATFS_SIZE, type StatfsData } from "./structs/statfs.js";
export { decodeRlimit, encodeRlimit, RLIMIT_SIZE, type RlimitData } from "./structs/rlimit.js";
export { decodeSysinfo, encodeSysinfo, SYSINFO_SIZE, type SysinfoData } from "./structs/sysinfo.js";
export { decodeDirents64, dirent64Length, encodeDirent64, type Dirent64 } from "./structs/dirent64.js";
export { encodeDirent } from "./structs/dirent.js";
export { makedev } from "./structs/makedev.js";
export { decodePollfds, encodePollfds, POLLFD_SIZE, type Pollfd } from "./structs/pollfd.js";
export { decodeEpollEvents, encodeEpollEvents, EPOLL_EVENT_SIZE, type EpollEvent } from "./structs/epoll-event.js";
export { decodeSigaction, encodeSigaction, SaFlag, SIGACTION_SIZE, type SigactionData } from "./structs/sigaction.js";
export { decodeSiginfo, encodeSiginfo, SIGINFO_SIZE, type SiginfoData } from "./structs/siginfo.js";
export {
  AddressFamily, decodeSockaddr, encodeSockaddr, formatIpv4, formatIpv6, SOCKADDR_IN_SIZE, SOCKADDR_IN6_SIZE, SOCKADDR_STORAGE_SIZE,
  SUN_PATH_OFFSET, SUN_PATH_SIZE, type Sockaddr,
} from "./structs/sockaddr.js";
export { cmsgAlign, CMSGHDR_SIZE, decodeCmsgs, decodeMsghdr, encodeCmsgs, encodeMsghdr, MMSGHDR_SIZE, MSGHDR_SIZE, type Cmsg, type Msghdr } from "./structs/msghdr.js";
export { formatResult, formatSyscall, type StraceOptions } from "./strace.js";
export { escapeBytes, quoteBytes } from "./quote-bytes.js";
export { errnoOf, fail, LinuxError } from "./linux-error.js";
export { FdTable, MAX_FDS } from "./fd-table.js";
export { Perm, Vfs, RenameFlag, type VfsOptions } from "./vfs/vfs.js";
export { FileDescription, SETFL_MASK } from "./vfs/file-description.js";
export { RegularFileDescription } from "./vfs/regular-file.js";
export { DirectoryDescription, type DirectoryEntry } from "./vfs/directory-file.js";
export { ConsoleDevice, DeviceNumber, GeneratedFile, NullDevice, RandomDevice, ZeroDevice, type ConsoleIo } from "./vfs/devices.js";
export { OpenFile } from "./vfs/open-file.js";
export type { MappedPages } from "./vfs/mapped-pages.js";
export { MAX_SYMLINKS, NAME_MAX, PATH_MAX, resolvePath, resolvedPath, type FollowLast, type PathFrame, type Resolution } from "./vfs/resolve-path.js";
export { PathDescription } from "./vfs/path-description.js";
export { TfsVnode, VirtualDir, VirtualFile, VirtualLink, type Vnode, type VnodeKind } from "./vfs/vnode.js";
export { ProcessState, type ThreadSignalState } from "./process-state.js";
export { futexWakeOp } from "./handlers/signal-syscalls.js";
export { NANOS_UNAME } from "./handlers/process-syscalls.js";
export { NANOS_PUBLISHED_SUPPORTED } from "./nanos-status.js";
export { clockSource, hostClocks, sleepClock, type ClockSource } from "./handlers/time-syscalls.js";
export { createSyscalls, type SyscallDispatcher } from "./dispatch.js";
export type { Clocks, KernelHooks, SyscallArgs, SyscallContext, SyscallHandler, TraceEvent } from "./syscall-context.js";
