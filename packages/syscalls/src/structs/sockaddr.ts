/** Address families of the socket structs (`sa_family`). */
export const AddressFamily = { AF_UNSPEC: 0, AF_UNIX: 1, AF_INET: 2, AF_INET6: 10 } as const;

/** Size of `struct sockaddr_storage`: the longest address any family has. */
export const SOCKADDR_STORAGE_SIZE = 128;
/** Size of `struct sockaddr_in`. */
export const SOCKADDR_IN_SIZE = 16;
/** Size of `struct sockaddr_in6`. */
export const SOCKADDR_IN6_SIZE = 28;
/** Offset of `sun_path` in `struct sockaddr_un` (after `sa_family_t`). */
export const SUN_PATH_OFFSET = 2;
/** Size of `sun_path`. */
export const SUN_PATH_SIZE = 108;

/**
 * A decoded socket address. An AF_UNIX `path` holds `sun_path`'s bytes: empty for an unnamed
 * socket, starting with a NUL byte for an abstract name, else a filesystem path (no NUL).
 */
export type Sockaddr =
  | { readonly family: 1; readonly path: Uint8Array }
  | { readonly family: 2; readonly port: number; readonly address: Uint8Array }
  | { readonly family: 10; readonly port: number; readonly flowinfo: number; readonly address: Uint8Array; readonly scopeId: number }
  | { readonly family: number; readonly data: Uint8Array };

/**
 * Decodes a socket address of `bytes.length` bytes (the `addrlen` the program passed).
 * Returns undefined when it is too short for its family (Linux: `EINVAL`); an unknown family
 * decodes to its raw bytes.
 */
export function decodeSockaddr(bytes: Uint8Array): Sockaddr | undefined {
  if (bytes.length < 2) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const family = v.getUint16(0, true);
  switch (family) {
    case AddressFamily.AF_UNIX: {
      let path = bytes.slice(SUN_PATH_OFFSET, Math.min(bytes.length, SUN_PATH_OFFSET + SUN_PATH_SIZE));
      // A filesystem name ends at its first NUL; an abstract one (leading NUL) is all its bytes.
      if (path.length > 0 && path[0] !== 0) {
        const nul = path.indexOf(0);
        if (nul >= 0) path = path.slice(0, nul);
      }
      return { family, path };
    }
    case AddressFamily.AF_INET:
      if (bytes.length < SOCKADDR_IN_SIZE) return undefined;
      return { family, port: v.getUint16(2, false), address: bytes.slice(4, 8) };
    case AddressFamily.AF_INET6:
      if (bytes.length < 24) return undefined; // Linux accepts the old 24-byte form without scope id
      return {
        family,
        port: v.getUint16(2, false),
        flowinfo: v.getUint32(4, false),
        address: bytes.slice(8, 24),
        scopeId: bytes.length >= SOCKADDR_IN6_SIZE ? v.getUint32(24, true) : 0,
      };
    default:
      return { family, data: bytes.slice(2) };
  }
}

/**
 * Encodes a socket address as the kernel reports it (getsockname, accept, recvfrom): an
 * AF_UNIX filesystem name includes its terminating NUL, an abstract one does not, an unnamed
 * socket is just the family.
 */
export function encodeSockaddr(sa: Sockaddr): Uint8Array {
  if ("path" in sa) {
    const abstract = sa.path.length > 0 && sa.path[0] === 0;
    const out = new Uint8Array(SUN_PATH_OFFSET + sa.path.length + (sa.path.length > 0 && !abstract ? 1 : 0));
    new DataView(out.buffer).setUint16(0, sa.family, true);
    out.set(sa.path, SUN_PATH_OFFSET);
    return out;
  }
  if ("flowinfo" in sa) {
    const out = new Uint8Array(SOCKADDR_IN6_SIZE);
    const v = new DataView(out.buffer);
    v.setUint16(0, sa.family, true);
    v.setUint16(2, sa.port, false);
    v.setUint32(4, sa.flowinfo, false);
    out.set(sa.address.subarray(0, 16), 8);
    v.setUint32(24, sa.scopeId, true);
    return out;
  }
  if ("port" in sa) {
    const out = new Uint8Array(SOCKADDR_IN_SIZE);
    const v = new DataView(out.buffer);
    v.setUint16(0, sa.family, true);
    v.setUint16(2, sa.port, false);
    out.set(sa.address.subarray(0, 4), 4);
    return out;
  }
  const out = new Uint8Array(2 + sa.data.length);
  new DataView(out.buffer).setUint16(0, sa.family, true);
  out.set(sa.data, 2);
  return out;
}

/** An IPv4 address in dotted decimal. */
export function formatIpv4(address: Uint8Array): string {
  return Array.from(address.subarray(0, 4)).join(".");
}

/** An IPv6 address in RFC 5952 text (`::1`, `::ffff:127.0.0.1`, `fd00::15`). */
export function formatIpv6(address: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, k) => (address[2 * k]! << 8) | address[2 * k + 1]!);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return `::ffff:${formatIpv4(address.subarray(12))}`;
  // The longest run of two or more zero words becomes "::".
  let bestAt = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    let n = 0;
    while (k + n < 8 && words[k + n] === 0) n++;
    if (n > bestLen) [bestAt, bestLen] = [k, n];
    k += Math.max(n, 1);
  }
  const text = (ws: number[]): string => ws.map((w) => w.toString(16)).join(":");
  if (bestAt < 0) return text(words);
  return `${text(words.slice(0, bestAt))}::${text(words.slice(bestAt + bestLen))}`;
}
