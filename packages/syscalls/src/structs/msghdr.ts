import { getU64, le, set64 } from "./bytes-view.js";

/** Size of `struct msghdr` on x86-64. */
export const MSGHDR_SIZE = 56;
/** Size of `struct mmsghdr`: a msghdr and the `msg_len` the kernel fills. */
export const MMSGHDR_SIZE = 64;
/** Size of `struct cmsghdr` (`cmsg_len`, `cmsg_level`, `cmsg_type`) before its data. */
export const CMSGHDR_SIZE = 16;

/** One `struct msghdr` (sendmsg/recvmsg). */
export interface Msghdr {
  /** `msg_name`: the peer address buffer (0: none). */
  name: number;
  /** `msg_namelen`. */
  namelen: number;
  /** `msg_iov`. */
  iov: number;
  /** `msg_iovlen`. */
  iovlen: number;
  /** `msg_control`: ancillary data (0: none). */
  control: number;
  /** `msg_controllen`. */
  controllen: number;
  /** `msg_flags` (filled by recvmsg). */
  flags: number;
}

/** Decodes a `struct msghdr` (`bytes` holds at least {@link MSGHDR_SIZE} bytes). */
export function decodeMsghdr(bytes: Uint8Array): Msghdr {
  const v = le(bytes);
  return {
    name: getU64(v, 0),
    namelen: v.getUint32(8, true),
    iov: getU64(v, 16),
    iovlen: getU64(v, 24),
    control: getU64(v, 32),
    controllen: getU64(v, 40),
    flags: v.getInt32(48, true),
  };
}

/** Encodes a `struct msghdr`. */
export function encodeMsghdr(m: Msghdr): Uint8Array {
  const b = new Uint8Array(MSGHDR_SIZE);
  const v = le(b);
  set64(v, 0, m.name);
  v.setUint32(8, m.namelen >>> 0, true);
  set64(v, 16, m.iov);
  set64(v, 24, m.iovlen);
  set64(v, 32, m.control);
  set64(v, 40, m.controllen);
  v.setInt32(48, m.flags | 0, true);
  return b;
}

/** One control message: `cmsg_level`, `cmsg_type` and its data. */
export interface Cmsg {
  level: number;
  type: number;
  data: Uint8Array;
}

/** `CMSG_ALIGN`: control messages are padded to 8 bytes. */
export const cmsgAlign = (n: number): number => (n + 7) & ~7;

/**
 * The control messages of a `msg_control` buffer, in order; undefined when a header's length
 * is impossible (Linux: `EINVAL`). A trailing part too short for a header is ignored.
 */
export function decodeCmsgs(bytes: Uint8Array): Cmsg[] | undefined {
  const v = le(bytes);
  const out: Cmsg[] = [];
  for (let at = 0; at + CMSGHDR_SIZE <= bytes.length; ) {
    const len = getU64(v, at);
    if (len < CMSGHDR_SIZE || at + len > bytes.length) return undefined;
    out.push({ level: v.getInt32(at + 8, true), type: v.getInt32(at + 12, true), data: bytes.slice(at + CMSGHDR_SIZE, at + len) });
    at += cmsgAlign(len);
  }
  return out;
}

/** Encodes control messages as `msg_control` holds them (each padded but the last). */
export function encodeCmsgs(cmsgs: readonly Cmsg[]): Uint8Array {
  const total = cmsgs.reduce((sum, c, k) => sum + (k === cmsgs.length - 1 ? CMSGHDR_SIZE + c.data.length : cmsgAlign(CMSGHDR_SIZE + c.data.length)), 0);
  const b = new Uint8Array(total);
  const v = le(b);
  let at = 0;
  for (const c of cmsgs) {
    set64(v, at, CMSGHDR_SIZE + c.data.length);
    v.setInt32(at + 8, c.level, true);
    v.setInt32(at + 12, c.type, true);
    b.set(c.data, at + CMSGHDR_SIZE);
    at += cmsgAlign(CMSGHDR_SIZE + c.data.length);
  }
  return b;
}
