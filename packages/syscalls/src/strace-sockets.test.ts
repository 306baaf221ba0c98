import { describe, expect, it } from "vitest";
import { formatSyscall } from "./strace.js";
import { encodeMsghdr } from "./structs/msghdr.js";
import { encodeSockaddr } from "./structs/sockaddr.js";
import { encodeIovecs } from "./structs/iovec.js";
import { ArrayUserMemory } from "./user-memory.js";

const BASE = 0x10000;
const mem = new ArrayUserMemory(0x10000, BASE);
const at = (offset: number, data: Uint8Array): number => {
  mem.write(BASE + offset, data);
  return BASE + offset;
};
const text = (s: string) => new TextEncoder().encode(s);
const u32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
};

describe("strace formatting of the socket calls (as strace prints them)", () => {
  it("socket, socketpair and accept4 flags", () => {
    expect(formatSyscall(41, [2, 0o2000001, 0], 3, mem)).toBe("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3");
    expect(formatSyscall(41, [1, 2 | 0o4000, 0], 4, mem)).toBe("socket(AF_UNIX, SOCK_DGRAM|SOCK_NONBLOCK, 0) = 4");
    expect(formatSyscall(53, [1, 5, 0, BASE], 0, mem)).toBe(`socketpair(AF_UNIX, SOCK_SEQPACKET, 0, 0x${BASE.toString(16)}) = 0`);
    expect(formatSyscall(48, [3, 2], 0, mem)).toBe("shutdown(3, SHUT_RDWR) = 0");
  });

  it("sockaddr of each family", () => {
    const in4 = at(0, encodeSockaddr({ family: 2, port: 8080, address: Uint8Array.from([127, 0, 0, 1]) }));
    expect(formatSyscall(42, [3, in4, 16], 0, mem)).toBe('connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, 16) = 0');
    const six = new Uint8Array(16);
    six[15] = 1;
    const in6 = at(32, encodeSockaddr({ family: 10, port: 443, flowinfo: 0, address: six, scopeId: 0 }));
    expect(formatSyscall(49, [3, in6, 28], 0, mem)).toBe(
      'bind(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
    );
    const path = at(64, encodeSockaddr({ family: 1, path: text("/tmp/s") }));
    expect(formatSyscall(49, [3, path, 9], 0, mem)).toBe('bind(3, {sa_family=AF_UNIX, sun_path="/tmp/s"}, 9) = 0');
    const abstract = at(96, encodeSockaddr({ family: 1, path: Uint8Array.from([0, ...text("name")]) }));
    expect(formatSyscall(42, [3, abstract, 7], -111, mem)).toBe('connect(3, {sa_family=AF_UNIX, sun_path=@"name"}, 7) = -1 ECONNREFUSED (Connection refused)');
  });

  it("an address the call filled, its length read back; not on failure", () => {
    const addr = at(128, encodeSockaddr({ family: 2, port: 1234, address: Uint8Array.from([10, 0, 2, 15]) }));
    const len = at(160, u32(16));
    expect(formatSyscall(51, [3, addr, len], 0, mem)).toBe('getsockname(3, {sa_family=AF_INET, sin_port=htons(1234), sin_addr=inet_addr("10.0.2.15")}, [16]) = 0');
    expect(formatSyscall(43, [3, addr, len], -11, mem)).toMatch(/^accept\(3, 0x[0-9a-f]+, 0x[0-9a-f]+\) = -1 EAGAIN/);
    const unnamed = at(168, u32(2));
    expect(formatSyscall(52, [3, at(176, encodeSockaddr({ family: 1, path: new Uint8Array(0) })), unnamed], 0, mem)).toMatch(/^getpeername\(3, \{sa_family=AF_UNIX\}, /);
  });

  it("sendto and recvfrom flags; recvfrom shows only what fits the buffer", () => {
    const buf = at(200, text("0123456789"));
    expect(formatSyscall(44, [3, buf, 10, 0x4040, 0, 0], 10, mem)).toBe('sendto(3, "0123456789", 10, MSG_DONTWAIT|MSG_NOSIGNAL, NULL, 0) = 10');
    expect(formatSyscall(45, [3, buf, 4, 0x20, 0, 0], 10, mem)).toBe('recvfrom(3, "0123", 4, MSG_TRUNC, NULL, NULL) = 10');
  });

  it("msghdr of sendmsg and recvmsg", () => {
    const data = at(300, text("hello"));
    const iov = at(320, encodeIovecs([{ base: data, len: 5 }]));
    const name = at(340, encodeSockaddr({ family: 2, port: 53, address: Uint8Array.from([127, 0, 0, 1]) }));
    const header = at(400, encodeMsghdr({ name, namelen: 16, iov, iovlen: 1, control: 0, controllen: 0, flags: 0 }));
    expect(formatSyscall(46, [3, header, 0], 5, mem)).toBe(
      'sendmsg(3, {msg_name={sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=16, msg_iov=[{iov_base="hello", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 5',
    );
    const received = at(460, encodeMsghdr({ name: 0, namelen: 0, iov, iovlen: 1, control: 0, controllen: 0, flags: 0x20 }));
    expect(formatSyscall(47, [3, received, 2], 3, mem)).toBe(
      'recvmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="hel", iov_len=5}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_TRUNC}, MSG_PEEK) = 3',
    );
  });

  it("setsockopt levels", () => {
    const one = at(496, u32(1));
    expect(formatSyscall(54, [3, 1, 2, one, 4], 0, mem)).toBe("setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
    expect(formatSyscall(54, [3, 6, 1, one, 4], 0, mem)).toBe("setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0");
    expect(formatSyscall(54, [3, 1, 13, one, 8], 0, mem)).toBe(`setsockopt(3, SOL_SOCKET, SO_LINGER, 0x${one.toString(16)}, 8) = 0`);
    expect(formatSyscall(55, [3, 6, 1, one, BASE], -92, mem)).toMatch(/^getsockopt\(3, SOL_TCP, TCP_NODELAY, 0x[0-9a-f]+, 0x[0-9a-f]+\) = -1 ENOPROTOOPT/);
    const optlen = at(500, u32(4));
    expect(formatSyscall(55, [3, 1, 3, one, optlen], 0, mem)).toBe("getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [4]) = 0");
    expect(formatSyscall(54, [3, 999, 7, one, 4], -92, mem)).toMatch(/^setsockopt\(3, 999, 7, /);
  });
});
