import { fail } from "../linux-error.js";
import { AT_FDCWD } from "../linux-constants.js";
import type { FileDescription } from "../vfs/file-description.js";
import { int } from "./arg-helpers.js";
import type { HandlerEnv } from "./handler-env.js";

/** The directory a path is relative to: `/` for an absolute path, the cwd, or a directory fd (`ENOTDIR` otherwise). @internal */
export function startDirectory(env: HandlerEnv, dirfd: number, path: string): string {
  if (path === "") fail("ENOENT", "empty path"); // before the dirfd is looked at, as Linux
  if (path.startsWith("/")) return "/";
  const fd = int(dirfd);
  return fd === AT_FDCWD ? env.vfs.cwd : env.vfs.directoryOf(env.fds.get(fd));
}

/** The description of an fd used for I/O: `EBADF` when closed or opened with `O_PATH`. @internal */
export function ioDescription(env: HandlerEnv, fd: number): FileDescription {
  const desc = env.fds.get(int(fd));
  if (desc.pathOnly) fail("EBADF", "O_PATH descriptor");
  return desc;
}

/** A file offset argument: `EINVAL` when negative. @internal */
export function offsetArg(v: number): number {
  if (v < 0) fail("EINVAL", "negative offset");
  return v;
}
