import { fail } from "../linux-error.js";
import { FD_CLOEXEC, Fcntl, Ioctl, OpenFlag } from "../linux-constants.js";
import { readI32, writeU32 } from "../user-memory.js";
import { SETFL_MASK } from "../vfs/file-description.js";
import { copyIn, copyOut, int, uint } from "./arg-helpers.js";
import type { HandlerEnv, HandlerGroup } from "./handler-env.js";

/** close, dup, dup2, dup3, fcntl and the generic ioctls on the fd table. @internal */
export function fdSyscalls(env: HandlerEnv): HandlerGroup {
  const { mem, fds } = env;

  const fcntl = (fdArg: number, cmdArg: number, arg: number): number => {
    const fd = int(fdArg);
    const desc = fds.get(fd);
    const cmd = int(cmdArg);
    switch (cmd) {
      case Fcntl.F_DUPFD:
      case Fcntl.F_DUPFD_CLOEXEC:
        return fds.dup(fd, int(arg), cmd === Fcntl.F_DUPFD_CLOEXEC);
      case Fcntl.F_GETFD:
        return fds.getCloexec(fd) ? FD_CLOEXEC : 0;
      case Fcntl.F_SETFD:
        fds.setCloexec(fd, (int(arg) & FD_CLOEXEC) !== 0);
        return 0;
      case Fcntl.F_GETFL:
        return desc.flags;
      case Fcntl.F_SETFL:
        desc.flags = (desc.flags & ~SETFL_MASK) | (int(arg) & SETFL_MASK);
        return 0;
      case Fcntl.F_GETLK:
      case Fcntl.F_OFD_GETLK: {
        // No other process can hold a lock: report the range unlocked (l_type = F_UNLCK).
        copyIn(mem, arg, 32);
        const unlocked = new Uint8Array(2);
        unlocked[0] = 2;
        copyOut(mem, arg, unlocked);
        return 0;
      }
      case Fcntl.F_SETLK:
      case Fcntl.F_SETLKW:
      case Fcntl.F_OFD_SETLK:
      case Fcntl.F_OFD_SETLKW:
        copyIn(mem, arg, 32);
        return 0; // locks are accepted: one process, nobody to conflict with
      case Fcntl.F_GETOWN:
      case Fcntl.F_SETOWN:
        return 0;
      default:
        fail("EINVAL", `fcntl command ${cmd}`);
    }
  };

  const ioctl = (fdArg: number, reqArg: number, arg: number): number => {
    const fd = int(fdArg);
    const desc = fds.get(fd);
    if (desc.pathOnly) fail("EBADF", "O_PATH descriptor"); // ioctl needs an open file, as on Linux
    const request = uint(reqArg);
    switch (request) {
      case Ioctl.FIOCLEX:
      case Ioctl.FIONCLEX:
        fds.setCloexec(fd, request === Ioctl.FIOCLEX);
        return 0;
      case Ioctl.FIONBIO: {
        const on = readI32(mem, arg);
        if (on === undefined) fail("EFAULT");
        desc.flags = on !== 0 ? desc.flags | OpenFlag.O_NONBLOCK : desc.flags & ~OpenFlag.O_NONBLOCK;
        return 0;
      }
      case Ioctl.FIOASYNC:
        copyIn(mem, arg, 4);
        return 0;
      case Ioctl.FIONREAD:
        if (desc.isDirectory) fail("ENOTTY");
        if (!writeU32(mem, arg, Math.min(desc.available(), 0x7fffffff))) fail("EFAULT");
        return 0;
      default:
        return desc.ioctl(request, arg, mem);
    }
  };

  return {
    close: ([fd]) => {
      fds.close(int(fd!));
      return 0;
    },
    dup: ([fd]) => fds.dup(int(fd!)),
    dup2: ([oldFd, newFd]) => fds.dupTo(int(oldFd!), int(newFd!)),
    dup3: ([oldFd, newFd, flags]) => {
      if (int(oldFd!) === int(newFd!)) fail("EINVAL", "dup3 to the same fd");
      if ((int(flags!) & ~OpenFlag.O_CLOEXEC) !== 0) fail("EINVAL", "dup3 flags");
      return fds.dupTo(int(oldFd!), int(newFd!), (int(flags!) & OpenFlag.O_CLOEXEC) !== 0);
    },
    fcntl: ([fd, cmd, arg]) => fcntl(fd!, cmd!, arg!),
    ioctl: ([fd, req, arg]) => ioctl(fd!, req!, arg!),
  };
}
