import { getCString, setCString } from "./bytes-view.js";

/** `struct utsname`: six NUL-terminated fields of 65 bytes. */
export interface Utsname {
  /** Operating system name (`Nanos`). */
  sysname: string;
  /** Host name. */
  nodename: string;
  /** Kernel release. */
  release: string;
  /** Kernel version (build). */
  version: string;
  /** Hardware (`x86_64`). */
  machine: string;
  /** NIS domain name. */
  domainname: string;
}

const FIELD = 65;
const FIELDS = ["sysname", "nodename", "release", "version", "machine", "domainname"] as const;

/** Size of `struct utsname` on Linux. */
export const UTSNAME_SIZE = FIELD * FIELDS.length;

/** Encodes `struct utsname`; a field longer than 64 bytes of UTF-8 is cut, as Nanos does. */
export function encodeUtsname(u: Utsname): Uint8Array {
  const b = new Uint8Array(UTSNAME_SIZE);
  FIELDS.forEach((name, i) => setCString(b, i * FIELD, FIELD, u[name]));
  return b;
}

/** Decodes `struct utsname`. */
export function decodeUtsname(b: Uint8Array): Utsname {
  const [sysname, nodename, release, version, machine, domainname] = FIELDS.map((_, i) => getCString(b, i * FIELD, FIELD)) as [string, string, string, string, string, string];
  return { sysname, nodename, release, version, machine, domainname };
}
