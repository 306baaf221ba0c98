/**
 * Which syscalls Nanos implements, from its published list (`docs/SYSCALLS.md`) plus what the
 * current Nanos source registers (`register_syscall` in `src/unix/*.c`), which wins where the
 * two disagree (for example `setuid`: "unsupported" in the old list, ignored today).
 *
 * @internal
 */
const PUBLISHED_SUPPORTED = `socket bind listen accept accept4 connect sendto sendmsg sendmmsg recvfrom recvmsg
setsockopt getsockname getpeername getsockopt shutdown futex clone arch_prctl set_tid_address gettid
timerfd_create timerfd_gettime timerfd_settime timer_create timer_settime timer_gettime
timer_getoverrun timer_delete getitimer setitimer alarm mincore mmap mremap msync munmap mprotect
epoll_create epoll_create1 epoll_ctl poll ppoll select pselect6 epoll_wait epoll_pwait read pread64
write pwrite64 open openat dup dup2 dup3 fstat fallocate fadvise64 sendfile stat lstat readv writev
truncate ftruncate fdatasync fsync sync syncfs io_setup io_submit io_getevents io_destroy access
lseek fcntl ioctl getcwd symlink symlinkat readlink readlinkat unlink unlinkat rmdir rename renameat
renameat2 close sched_yield brk uname getrlimit setrlimit prlimit64 getrusage getpid exit_group exit
getdents getdents64 mkdir mkdirat getrandom pipe pipe2 socketpair eventfd eventfd2 creat chdir
fchdir utime utimes newfstatat sched_getaffinity sched_setaffinity capget prctl sysinfo umask statfs
fstatfs io_uring_setup io_uring_enter io_uring_register kill pause rt_sigaction rt_sigpending
rt_sigprocmask rt_sigqueueinfo rt_tgsigqueueinfo rt_sigreturn rt_sigsuspend rt_sigtimedwait
sigaltstack signalfd signalfd4 tgkill tkill clock_gettime clock_nanosleep gettimeofday nanosleep
time times`;

const CURRENT_SUPPORTED = `adjtimex clock_adjtime clock_getres clock_settime clone3 copy_file_range
faccessat fgetxattr fsetxattr get_robust_list getcpu getxattr inotify_add_watch inotify_init
inotify_init1 inotify_rm_watch lgetxattr link linkat lsetxattr madvise preadv pwritev recvmmsg
set_robust_list settimeofday setxattr statx utimensat`;

const IGNORED = `wait4 flock chmod fchmod fchown lchown getgid getegid mlock munlock mlockall munlockall
fchownat fchmodat mlock2 capset chown geteuid getuid sched_get_priority_max sched_get_priority_min
sched_setscheduler setgid setgroups setuid`;

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== "");

/** The 148 syscalls of Nanos's published supported list (the floor of what programs may use; `SyscallInfo.nanos` also counts what current Nanos registers). */
export const NANOS_PUBLISHED_SUPPORTED: ReadonlySet<string> = new Set(words(PUBLISHED_SUPPORTED));
/** @internal */
export const NANOS_SUPPORTED: ReadonlySet<string> = new Set([...words(PUBLISHED_SUPPORTED), ...words(CURRENT_SUPPORTED)]);
/** @internal */
export const NANOS_IGNORED: ReadonlySet<string> = new Set(words(IGNORED));
