// The lists of Nanos's documentation (docs/SYSCALLS.md), checked call by call: the ones Nanos
// accepts and ignores return 0 whatever their arguments; the unsupported ones return ENOSYS and
// the `-d` trace names them. The lists are the documentation's, not the table's, so a name
// that slipped out of the table fails here.
import { describe, expect, it } from "vitest";
import { Errno } from "./errno.js";
import { syscallByName } from "./syscall-table.js";
import { BAD_ADDRESS, TestMachine } from "./test-machine.js";

const IGNORED = `wait4 flock chmod fchmod fchown lchown getgid getegid mlock munlock mlockall munlockall fchownat
fchmodat mlock2`;

// The published "unsupported" list ("sentimedop" is its typo for semtimedop).
const UNSUPPORTED = `shmget shmat shmctl fork vfork execve semget semop semctl shmdt msgget msgsnd msgrcv msgctl link
ptrace syslog setpgid getppid getpgrp setuid setreuid setregid getgroups setresuid getresuid setresgid getresgid
getpgid setfsuid setfsgid getsid mknod uselib personality ustat sysfs getpriority setpriority sched_setparam
sched_getparam sched_setscheduler sched_getscheduler sched_get_priority_max sched_get_priority_min
sched_rr_get_interval vhangup modify_ldt pivot_root _sysctl adjtimex chroot acct settimeofday mount umount2 swapon
swapoff reboot sethostname setdomainname iopl ioperm create_module init_module delete_module get_kernel_syms
query_module quotactl nfsservctl getpmsg putpmsg afs_syscall tuxcall security readahead setxattr lsetxattr
fsetxattr getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr
set_thread_area io_cancel get_thread_area lookup_dcookie epoll_ctl_old epoll_wait_old remap_file_pages
restart_syscall semtimedop clock_settime vserver mbind set_mempolicy get_mempolicy mq_open mq_unlink
mq_timedsend mq_timedreceive mq_notify mq_getsetattr kexec_load waitid add_key request_key keyctl ioprio_set
ioprio_get inotify_init inotify_add_watch inotify_rm_watch migrate_pages mknodat futimesat linkat faccessat
unshare set_robust_list get_robust_list splice tee sync_file_range vmsplice move_pages utimensat inotify_init1
preadv pwritev perf_event_open recvmmsg fanotify_init fanotify_mark name_to_handle_at open_by_handle_at
clock_adjtime setns getcpu process_vm_readv process_vm_writev kcmp finit_module sched_setattr sched_getattr
seccomp memfd_create kexec_file_load bpf execveat userfaultfd membarrier copy_file_range preadv2 pwritev2
pkey_mprotect pkey_alloc pkey_free`;

// What current Nanos implements or ignores from the old unsupported list (docs/SYSCALLS.md,
// "Also implemented by current Nanos"): glibc and Go call these, so they are not ENOSYS here.
const NOW_IMPLEMENTED = `adjtimex clock_adjtime clock_settime copy_file_range faccessat fgetxattr fsetxattr
get_robust_list getcpu getxattr inotify_add_watch inotify_init inotify_init1 inotify_rm_watch lgetxattr link
linkat lsetxattr preadv pwritev recvmmsg set_robust_list settimeofday setxattr utimensat`;
const NOW_IGNORED = "setuid sched_get_priority_max sched_get_priority_min sched_setscheduler";

// Current Nanos implements these; here they are ENOSYS until the kernel adds them (extended
// attributes and inotify have no TFS support yet, recvmmsg belongs to the sockets).
const LEFT_TO_THE_KERNEL = [
  "fgetxattr", "fsetxattr", "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch",
  "lgetxattr", "lsetxattr", "recvmmsg", "setxattr",
];

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== "");
const nowHandled = new Set([...words(NOW_IMPLEMENTED), ...words(NOW_IGNORED)]);

/** Calls `name` by number with `args`; returns the result and the trace line. */
function call(m: TestMachine, name: string, args: number[]): { result: number; trace: string } {
  const info = syscallByName(name);
  expect(info, `${name} is in the syscall table`).toBeDefined();
  const result = m.sys(info!.nr, args);
  return { result, trace: m.lastTrace };
}

describe("Nanos's published syscall lists", () => {
  it("has the documented sizes", () => {
    expect(words(IGNORED).length).toBe(15);
    expect(words(UNSUPPORTED).length).toBe(163);
  });

  it("accepts and ignores the syscall_ignore list: 0, whatever the arguments", () => {
    const m = new TestMachine();
    for (const name of words(IGNORED)) {
      for (const args of [[0, 0, 0, 0, 0, 0], [BAD_ADDRESS, -1, BAD_ADDRESS, -1, 0x7fffffff, BAD_ADDRESS]]) {
        const { result, trace } = call(m, name, args);
        expect(result, name).toBe(0);
        expect(trace, name).toMatch(new RegExp(`^${name}\\(.*\\) = 0$`));
      }
    }
  });

  it("returns ENOSYS for the unsupported list and names each call in the trace", () => {
    const m = new TestMachine();
    const unsupported = words(UNSUPPORTED).filter((name) => !nowHandled.has(name));
    expect(unsupported.length).toBe(134);
    for (const name of unsupported) {
      const { result, trace } = call(m, name, [0, 0, 0, 0, 0, 0]);
      expect(result, name).toBe(-Errno.ENOSYS);
      expect(trace, name).toMatch(new RegExp(`^${name}\\(.*\\) = -1 ENOSYS \\(Function not implemented\\)$`));
    }
  });

  it("no longer refuses what current Nanos implements", () => {
    const m = new TestMachine();
    const enosys: string[] = [];
    for (const name of nowHandled) {
      expect(syscallByName(name)!.nanos, name).not.toBe("unsupported");
      if (call(m, name, [0, 0, 0, 0, 0, 0]).result === -Errno.ENOSYS) enosys.push(name);
    }
    // What this layer leaves to the kernel (or to later work) is listed, so it stays visible.
    expect(enosys.sort()).toEqual(LEFT_TO_THE_KERNEL);
  });
});
