// `-d` of a real socket program: the socket calls are named and their structs decoded.
import { MemoryBlockBackend } from "@nanots/virtio";
import { describe, expect, it } from "vitest";
import { boot } from "../boot/boot.js";
import { GUEST_DIR } from "../elf/guest-binaries.js";
import { buildImage } from "../node/build-image.js";

async function trace(program: string): Promise<string[]> {
  const lines: string[] = [];
  const vm = boot({
    disk: new MemoryBlockBackend(buildImage({ program: `${GUEST_DIR}bin/musl/${program}`, guestPath: `/${program}`, args: ["/tmp"] })),
    memoryBytes: 128 << 20,
    stdout: () => {},
    stderr: () => {},
    trace: (e) => lines.push(e.text),
  });
  expect(await vm.run()).toBe(0);
  return lines;
}

describe("socket calls in the -d trace", () => {
  it("decodes AF_UNIX and AF_INET addresses, socket types and message headers", async () => {
    const unix = await trace("sys-unix");
    expect(unix).toContainEqual(expect.stringMatching(/^socket\(AF_UNIX, SOCK_STREAM, 0\) = \d+$/));
    expect(unix).toContainEqual(expect.stringMatching(/^bind\(\d+, \{sa_family=AF_UNIX, sun_path="unix-stream\.sock"\}, 19\) = 0$/));
    expect(unix).toContainEqual(expect.stringMatching(/^bind\(\d+, \{sa_family=AF_UNIX, sun_path=@"nanots-abstract-test"\}, 23\) = 0$/));
    expect(unix).toContainEqual(expect.stringMatching(/^connect\(\d+, \{sa_family=AF_UNIX, sun_path="unix-none\.sock"\}|^sendto\(\d+, "x", 1, 0, \{sa_family=AF_UNIX, sun_path="unix-none\.sock"\}, \d+\) = -1 ENOENT/));
    const tcp = await trace("sys-tcp");
    expect(tcp).toContainEqual(expect.stringMatching(/^connect\(\d+, \{sa_family=AF_INET, sin_port=htons\(\d+\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, 16\) = 0$/));
    expect(tcp).toContainEqual(expect.stringMatching(/^accept4\(\d+, \{sa_family=AF_INET, sin_port=htons\(\d+\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, \[16\], SOCK_CLOEXEC\) = \d+$/));
    expect(tcp).toContainEqual(expect.stringMatching(/inet_pton\(AF_INET6, "::ffff:127\.0\.0\.1", &sin6_addr\)/));
    expect(tcp).toContainEqual(expect.stringMatching(/^shutdown\(\d+, SHUT_WR\) = 0$/));
    const msg = await trace("sys-msg");
    expect(msg).toContainEqual(expect.stringMatching(/^sendmsg\(\d+, \{msg_name=NULL, msg_namelen=0, msg_iov=\[\{iov_base="gather ", iov_len=7\}, \{iov_base="these ", iov_len=6\}, \{iov_base="parts", iov_len=5\}\], msg_iovlen=3, msg_controllen=0, msg_flags=0\}, 0\) = 18$/));
    expect(msg).toContainEqual(expect.stringMatching(/^recvmsg\(\d+, \{msg_name=\{sa_family=AF_INET, .*msg_flags=MSG_TRUNC\}, 0\) = 4$/));
    expect(msg).toContainEqual(expect.stringMatching(/^recvmsg\(\d+, .*, MSG_CMSG_CLOEXEC\) = 1$/));
  }, 120_000);
});
