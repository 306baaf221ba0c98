import { MemoryBlockDevice, Tfs } from "@nanots/tfs";
import { describe, expect, it } from "vitest";
import { DirentType, FileType, OpenFlag, Seek } from "../linux-constants.js";
import { decodeDirents64 } from "../structs/dirent64.js";
import { errnoCode } from "../test-machine.js";
import { DeviceNumber } from "./devices.js";
import { RegularFileDescription } from "./regular-file.js";
import { Vfs } from "./vfs.js";

const O_RDONLY = 0;
const O_WRONLY = 1;
const O_RDWR = 2;
const { O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NOFOLLOW, O_DIRECTORY } = OpenFlag;
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function setup() {
  const fs = Tfs.format(new MemoryBlockDevice(32 * 2 ** 20));
  fs.mkdir("/etc");
  fs.writeFile("/etc/hosts", "127.0.0.1 localhost\n");
  fs.mkdir("/usr/lib", { recursive: true });
  fs.symlink("/usr/lib", "/lib");
  fs.symlink("../etc/hosts", "/usr/hosts");
  fs.symlink("loop2", "/loop1");
  fs.symlink("loop1", "/loop2");
  const vfs = new Vfs({ fs, random: (n) => new Uint8Array(n).fill(7), programPath: "/bin/app" });
  return { fs, vfs };
}

describe("Vfs paths", () => {
  it("resolves absolute and relative paths, . and .., never above the root", () => {
    const { vfs } = setup();
    expect(vfs.stat("/", "/etc/hosts", true).size).toBe(20);
    expect(vfs.stat("/etc", "hosts", true).size).toBe(20);
    expect(vfs.stat("/etc", "./../etc/./hosts", true).size).toBe(20);
    expect(vfs.stat("/", "/../../etc/hosts", true).size).toBe(20);
    vfs.chdir("/", "usr");
    expect(vfs.getcwd()).toBe("/usr");
    expect(vfs.stat(vfs.cwd, "../etc/hosts", true).size).toBe(20);
  });

  it("follows symlinks (relative targets from the link's directory), lstat does not", () => {
    const { vfs } = setup();
    expect(vfs.stat("/", "/usr/hosts", true).mode & FileType.S_IFREG).toBeTruthy();
    expect(vfs.stat("/", "/usr/hosts", false).mode & 0o170000).toBe(FileType.S_IFLNK);
    expect(vfs.stat("/", "/usr/hosts", false).size).toBe("../etc/hosts".length);
    vfs.mkdir("/", "/lib/x");
    expect(vfs.stat("/", "/usr/lib/x", true).mode & 0o170000).toBe(FileType.S_IFDIR);
    // `..` after a symlink to a directory goes to the target's parent, as on Linux.
    expect(vfs.stat("/", "/lib/../hosts", false).mode & 0o170000).toBe(FileType.S_IFLNK);
    vfs.chdir("/", "/lib");
    expect(vfs.getcwd()).toBe("/usr/lib");
  });

  it("fails as Linux: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, empty path", () => {
    const { vfs } = setup();
    expect(errnoCode(() => vfs.stat("/", "/nope", true))).toBe("ENOENT");
    expect(errnoCode(() => vfs.stat("/", "/nope/x", true))).toBe("ENOENT");
    expect(errnoCode(() => vfs.stat("/", "/etc/hosts/x", true))).toBe("ENOTDIR");
    expect(errnoCode(() => vfs.stat("/", "/etc/hosts/", true))).toBe("ENOTDIR");
    expect(errnoCode(() => vfs.stat("/", "/loop1", true))).toBe("ELOOP");
    expect(errnoCode(() => vfs.stat("/", "/loop1", false))).toBe("ok");
    expect(errnoCode(() => vfs.stat("/", "", true))).toBe("ENOENT");
    expect(errnoCode(() => vfs.stat("/", `/${"a".repeat(256)}`, true))).toBe("ENAMETOOLONG");
    expect(errnoCode(() => vfs.stat("/", "/a".repeat(2048), true))).toBe("ENAMETOOLONG");
    expect(errnoCode(() => vfs.open("/", "/usr/hosts", O_RDONLY | O_NOFOLLOW))).toBe("ELOOP");
    expect(errnoCode(() => vfs.open("/", "/etc/hosts", O_RDONLY | O_DIRECTORY))).toBe("ENOTDIR");
  });
});

describe("Vfs regular files", () => {
  it("creates with O_CREAT, refuses O_EXCL on an existing name, truncates with O_TRUNC", () => {
    const { vfs, fs } = setup();
    const f = vfs.open("/", "/new", O_WRONLY | O_CREAT | O_EXCL);
    expect(f.write(bytes("hello"))).toBe(5);
    expect(text(fs.readFile("/new"))).toBe("hello");
    expect(errnoCode(() => vfs.open("/", "/new", O_WRONLY | O_CREAT | O_EXCL))).toBe("EEXIST");
    expect(errnoCode(() => vfs.open("/", "/usr/hosts", O_WRONLY | O_CREAT | O_EXCL))).toBe("EEXIST");
    expect(errnoCode(() => vfs.open("/", "/nodir/x", O_WRONLY | O_CREAT))).toBe("ENOENT");
    expect(errnoCode(() => vfs.open("/", "/newdir/", O_WRONLY | O_CREAT))).toBe("EISDIR");
    vfs.open("/", "/new", O_WRONLY | O_TRUNC);
    expect(fs.readFile("/new").length).toBe(0);
  });

  it("reads, writes, preads and pwrites at the right offsets; O_APPEND writes at the end", () => {
    const { vfs } = setup();
    const f = vfs.open("/", "/f", O_RDWR | O_CREAT);
    f.write(bytes("abcdef"));
    expect(f.offset).toBe(6);
    expect(f.seek(1, Seek.SEEK_SET)).toBe(1);
    expect(text(f.read(3))).toBe("bcd");
    expect(text(f.pread(2, 4))).toBe("ef");
    expect(f.offset).toBe(4);
    f.pwrite(bytes("XY"), 0);
    expect(text(f.pread(10, 0))).toBe("XYcdef");
    expect(f.seek(-2, Seek.SEEK_END)).toBe(4);
    expect(errnoCode(() => f.seek(-10, Seek.SEEK_CUR))).toBe("EINVAL");
    expect(errnoCode(() => f.seek(0, 9))).toBe("EINVAL");
    const a = vfs.open("/", "/f", O_WRONLY | O_APPEND);
    a.write(bytes("!"));
    expect(a.offset).toBe(7);
    expect(text(f.pread(10, 0))).toBe("XYcdef!");
    const r = vfs.open("/", "/f", O_RDONLY);
    expect(errnoCode(() => r.write(bytes("x")))).toBe("EBADF");
    expect(errnoCode(() => a.read(1))).toBe("EBADF");
  });

  it("SEEK_DATA and SEEK_HOLE see the holes TFS leaves", () => {
    const { vfs } = setup();
    const f = vfs.open("/", "/sparse", O_RDWR | O_CREAT);
    f.pwrite(bytes("a"), 0);
    f.pwrite(bytes("b"), 1 << 20);
    expect(f.seek(0, Seek.SEEK_DATA)).toBe(0);
    expect(f.seek(0, Seek.SEEK_HOLE)).toBe(512);
    expect(f.seek(600, Seek.SEEK_DATA)).toBe(1 << 20);
    expect(f.seek(1 << 20, Seek.SEEK_HOLE)).toBe((1 << 20) + 1);
    expect(errnoCode(() => f.seek((1 << 20) + 1, Seek.SEEK_DATA))).toBe("ENXIO");
    const full = vfs.open("/", "/etc/hosts", O_RDONLY);
    expect(full.seek(3, Seek.SEEK_HOLE)).toBe(20);
  });

  it("keeps an unlinked open file readable and writable until it is closed", () => {
    const { vfs, fs } = setup();
    const f = vfs.open("/", "/etc/hosts", O_RDWR);
    vfs.unlink("/", "/etc/hosts");
    expect(fs.exists("/etc/hosts")).toBe(false);
    expect(text(f.pread(9, 0))).toBe("127.0.0.1");
    f.pwrite(bytes("X"), 40);
    expect(f.stat().size).toBe(41);
    expect(f.pread(50, 0).length).toBe(41);
    f.close();
  });

  it("follows an open file across a rename of it or of its directory", () => {
    const { vfs, fs } = setup();
    const f = vfs.open("/", "/etc/hosts", O_RDWR);
    vfs.rename("/", "/etc", "/", "/config");
    vfs.rename("/", "/config/hosts", "/", "/config/hosts2");
    f.pwrite(bytes("X"), 0);
    expect(text(fs.readFile("/config/hosts2")).startsWith("X27")).toBe(true);
    expect(f.path).toBe("/config/hosts2");
  });

  it("replacing an open file by rename detaches it", () => {
    const { vfs, fs } = setup();
    fs.writeFile("/a", "new");
    const old = vfs.open("/", "/etc/hosts", O_RDONLY);
    vfs.rename("/", "/a", "/", "/etc/hosts");
    expect(text(fs.readFile("/etc/hosts"))).toBe("new");
    expect(text(old.pread(9, 0))).toBe("127.0.0.1");
  });

  it("truncates by path and by description", () => {
    const { vfs, fs } = setup();
    vfs.truncate("/", "/etc/hosts", 3);
    expect(text(fs.readFile("/etc/hosts"))).toBe("127");
    const f = vfs.open("/", "/etc/hosts", O_RDWR);
    f.truncate(5);
    expect(fs.readFile("/etc/hosts")).toEqual(Uint8Array.of(49, 50, 55, 0, 0));
    expect(errnoCode(() => vfs.open("/", "/etc/hosts", O_RDONLY).truncate(0))).toBe("EINVAL");
    expect(errnoCode(() => vfs.truncate("/", "/etc", 0))).toBe("EISDIR");
  });
});

describe("Vfs directories", () => {
  it("lists ., .. and children with d_type, across several calls", () => {
    const { vfs } = setup();
    const d = vfs.open("/", "/", O_RDONLY | O_DIRECTORY);
    const first = decodeDirents64(d.getdents64(60));
    expect(first.map((e) => e.name)).toEqual([".", ".."]);
    const rest = decodeDirents64(d.getdents64(4096));
    const names = rest.map((e) => `${e.name}:${e.type}`);
    expect(names).toEqual([`dev:${DirentType.DT_DIR}`, `etc:${DirentType.DT_DIR}`, `lib:${DirentType.DT_LNK}`, `loop1:${DirentType.DT_LNK}`, `loop2:${DirentType.DT_LNK}`, `proc:${DirentType.DT_DIR}`, `sys:${DirentType.DT_DIR}`, `usr:${DirentType.DT_DIR}`]);
    expect(rest[0]!.off).toBe(3);
    expect(d.getdents64(4096).length).toBe(0);
    expect(errnoCode(() => vfs.open("/", "/", O_RDONLY | O_DIRECTORY).getdents64(10))).toBe("EINVAL");
    expect(errnoCode(() => d.read(10))).toBe("EISDIR");
    expect(errnoCode(() => vfs.open("/", "/etc", O_WRONLY))).toBe("EISDIR");
    expect(decodeDirents64(vfs.open("/", "/etc", O_RDONLY).getdents64(4096)).map((e) => e.name)).toEqual([".", "..", "hosts"]);
  });

  it("gives the same inode to an entry however it is reached", () => {
    const { vfs } = setup();
    const ino = vfs.stat("/", "/etc/hosts", true).ino;
    expect(vfs.stat("/", "/usr/hosts", true).ino).toBe(ino);
    const listed = decodeDirents64(vfs.open("/", "/etc", O_RDONLY).getdents64(4096)).find((e) => e.name === "hosts");
    expect(listed?.ino).toBe(ino);
    expect(vfs.stat("/", "/", true).ino).toBe(2);
    vfs.fs.utimes("/", 5000, 7000);
    expect(vfs.stat("/", "/", true).mtime.sec).toBe(7); // the root's times come from the TFS root
  });

  it("mkdir, rmdir, unlink, rename with Linux's errors", () => {
    const { vfs, fs } = setup();
    vfs.mkdir("/", "/d");
    expect(errnoCode(() => vfs.mkdir("/", "/d"))).toBe("EEXIST");
    expect(errnoCode(() => vfs.mkdir("/", "/x/y"))).toBe("ENOENT");
    expect(errnoCode(() => vfs.rmdir("/", "/etc"))).toBe("ENOTEMPTY");
    expect(errnoCode(() => vfs.rmdir("/", "/etc/hosts"))).toBe("ENOTDIR");
    expect(errnoCode(() => vfs.rmdir("/", "/d/."))).toBe("EINVAL");
    expect(errnoCode(() => vfs.rmdir("/", "/"))).toBe("EBUSY");
    expect(errnoCode(() => vfs.unlink("/", "/d"))).toBe("EISDIR");
    expect(errnoCode(() => vfs.unlink("/", "/nope"))).toBe("ENOENT");
    expect(errnoCode(() => vfs.rename("/", "/usr", "/", "/usr/lib/inside"))).toBe("EINVAL");
    expect(errnoCode(() => vfs.rename("/", "/etc/hosts", "/", "/d"))).toBe("EISDIR");
    expect(errnoCode(() => vfs.rename("/", "/d", "/", "/etc/hosts"))).toBe("ENOTDIR");
    expect(errnoCode(() => vfs.rename("/", "/etc/hosts", "/", "/usr/hosts", 1))).toBe("EEXIST");
    vfs.rmdir("/", "/d");
    expect(fs.exists("/d")).toBe(false);
    vfs.unlink("/", "/lib"); // removes the link, not its target
    expect(fs.exists("/usr/lib")).toBe(true);
    vfs.symlink("/etc", "/", "/e");
    expect(vfs.readlink("/", "/e")).toBe("/etc");
    expect(errnoCode(() => vfs.readlink("/", "/etc"))).toBe("EINVAL");
    expect(errnoCode(() => vfs.symlink("/x", "/", "/e"))).toBe("EEXIST");
  });
});

describe("Vfs links, unnamed files and times", () => {
  it("hard links share one file; an open file moves to another name when its own goes", () => {
    const { fs, vfs } = setup();
    fs.writeFile("/a", "data");
    vfs.link("/", "/a", "/etc", "b", false);
    expect(vfs.stat("/", "/a", true).nlink).toBe(2);
    expect(vfs.stat("/", "/etc/b", true).ino).toBe(vfs.stat("/", "/a", true).ino);
    const fd = vfs.open("/", "/a", O_RDWR);
    vfs.unlink("/", "/a");
    fd.pwrite(bytes("D"), 0);
    expect(text(fs.readFile("/etc/b"))).toBe("Data");
    expect(fd.stat().nlink).toBe(1);
    vfs.unlink("/", "/etc/b");
    expect(fd.stat().nlink).toBe(0);
    expect(text(fd.pread(10, 0))).toBe("Data");
    fd.close();
    expect(errnoCode(() => vfs.link("/", "/etc", "/", "/e", false))).toBe("EPERM");
    expect(errnoCode(() => vfs.link("/", "/etc/hosts", "/", "/dev/x", false))).toBe("EXDEV");
    expect(errnoCode(() => vfs.link("/", "/etc", "/", "/lib", false))).toBe("EEXIST");
  });

  it("RENAME_EXCHANGE swaps two entries and keeps open paths current", () => {
    const { fs, vfs } = setup();
    fs.writeFile("/x", "x");
    const fd = vfs.open("/", "/x", O_RDONLY);
    vfs.rename("/", "/x", "/", "/etc", 2);
    expect(text(fs.readFile("/etc"))).toBe("x");
    expect(fs.exists("/x/hosts")).toBe(true);
    expect(fd.path).toBe("/etc");
    expect(errnoCode(() => vfs.rename("/", "/x", "/", "/x/hosts", 2))).toBe("EINVAL");
    expect(errnoCode(() => vfs.rename("/", "/x", "/", "/nope", 2))).toBe("ENOENT");
    expect(errnoCode(() => vfs.rename("/", "/x", "/", "/etc", 3))).toBe("EINVAL");
  });

  it("O_TMPFILE makes an unnamed file that linkDescription can name once", () => {
    const { fs, vfs } = setup();
    const tmp = vfs.open("/", "/etc", OpenFlag.O_TMPFILE | O_RDWR);
    tmp.write(bytes("tmp"));
    expect(tmp.stat().nlink).toBe(0);
    const ino = tmp.stat().ino;
    expect(fs.readdir("/etc")).toEqual(["hosts"]);
    vfs.linkDescription(tmp, "/", "/named");
    expect(vfs.stat("/", "/named", true)).toMatchObject({ ino, nlink: 1, size: 3 });
    tmp.write(bytes("!"));
    expect(text(fs.readFile("/named"))).toBe("tmp!");
    tmp.close();
    const excl = vfs.open("/", "/etc", OpenFlag.O_TMPFILE | O_WRONLY | O_EXCL);
    expect(errnoCode(() => vfs.linkDescription(excl, "/", "/other"))).toBe("ENOENT");
    expect(errnoCode(() => vfs.open("/", "/etc", OpenFlag.O_TMPFILE | O_RDONLY))).toBe("EINVAL");
    expect(errnoCode(() => vfs.open("/", "/proc", OpenFlag.O_TMPFILE | O_RDWR))).toBe("EOPNOTSUPP");
  });

  it("reads move the access time as relatime does; O_NOATIME reads do not", () => {
    let clock = 2_000_000_000_000;
    const fs = Tfs.format(new MemoryBlockDevice(8 * 2 ** 20), { now: () => clock });
    fs.writeFile("/f", "abc");
    const vfs = new Vfs({ fs, random: (n) => new Uint8Array(n), now: () => clock });
    const atime = () => vfs.stat("/", "/f", true).atime.sec;
    fs.utimes("/f", 1_000_000_000_000, 1_500_000_000_000);
    const quiet = vfs.open("/", "/f", O_RDONLY | OpenFlag.O_NOATIME);
    quiet.read(1);
    expect(atime()).toBe(1_000_000_000);
    const fd = vfs.open("/", "/f", O_RDONLY);
    fd.read(0);
    expect(atime()).toBe(1_000_000_000);
    fd.read(1);
    expect(atime()).toBe(2_000_000_000);
    clock += 60_000;
    fd.read(1); // after the mtime and less than a day old: stays
    expect(atime()).toBe(2_000_000_000);
    clock += 25 * 3600_000;
    fd.pread(1, 0);
    expect(atime()).toBe(2_000_000_000 + 60 + 25 * 3600);
  });
});

describe("Vfs permissions as Nanos", () => {
  it("exec protection: executables are read/exec, data files read/write; readonly tuples never writable", () => {
    const fs = Tfs.format(new MemoryBlockDevice(8 * 2 ** 20));
    fs.writeFile("/prog", "ELF");
    fs.writeFile("/data", "x");
    fs.writeFile("/ro", "y");
    fs.root.getTuple("children")!.getTuple("prog")!.set("exec", "t");
    fs.root.getTuple("children")!.getTuple("ro")!.set("readonly", "t");
    const open = new Vfs({ fs, random: (n) => new Uint8Array(n) });
    expect(errnoCode(() => open.open("/", "/prog", O_RDWR))).toBe("ok");
    expect(errnoCode(() => open.open("/", "/ro", O_WRONLY))).toBe("EACCES");
    const guarded = new Vfs({ fs, random: (n) => new Uint8Array(n), execProtection: true });
    expect(errnoCode(() => guarded.open("/", "/prog", O_WRONLY))).toBe("EACCES");
    expect(errnoCode(() => guarded.open("/", "/prog", O_RDONLY))).toBe("ok");
    expect(errnoCode(() => guarded.access("/", "/prog", true, 1))).toBe("ok");
    expect(errnoCode(() => guarded.access("/", "/data", true, 1))).toBe("EACCES");
    expect(errnoCode(() => guarded.access("/", "/data", true, 6))).toBe("ok");
    expect(errnoCode(() => guarded.truncate("/", "/prog", 0))).toBe("EACCES");
    expect(errnoCode(() => guarded.open("/", "/ro", O_RDWR))).toBe("EACCES");
    // st_mode shows the same permissions, as Nanos's stat_mode derives them.
    expect(open.stat("/", "/data", true).mode).toBe(FileType.S_IFREG | 0o777);
    expect(open.stat("/", "/ro", true).mode).toBe(FileType.S_IFREG | 0o555);
    expect(guarded.stat("/", "/prog", true).mode).toBe(FileType.S_IFREG | 0o555);
    expect(guarded.stat("/", "/data", true).mode).toBe(FileType.S_IFREG | 0o666);
    expect(guarded.stat("/", "/ro", true).mode).toBe(FileType.S_IFREG | 0o444);
    expect([open.stat("/", "/data", true).blksize, open.stat("/", "/", true).blksize]).toEqual([4096, 0]);
  });

  it("a read-only root refuses write-mode opens with EROFS", () => {
    const fs = Tfs.format(new MemoryBlockDevice(8 * 2 ** 20));
    fs.writeFile("/f", "x");
    const vfs = new Vfs({ fs, random: (n) => new Uint8Array(n), readOnly: true });
    expect(errnoCode(() => vfs.open("/", "/f", O_WRONLY))).toBe("EROFS");
    expect(errnoCode(() => vfs.open("/", "/f", O_RDONLY))).toBe("ok");
    // Nothing else changes the tree either; lookups still fail first where they fail.
    fs.mkdir("/d");
    expect(errnoCode(() => vfs.open("/", "/new", O_RDONLY | O_CREAT))).toBe("EROFS");
    expect(errnoCode(() => vfs.mkdir("/", "/e"))).toBe("EROFS");
    expect(errnoCode(() => vfs.mkdir("/", "/d"))).toBe("EEXIST");
    expect(errnoCode(() => vfs.rmdir("/", "/d"))).toBe("EROFS");
    expect(errnoCode(() => vfs.unlink("/", "/f"))).toBe("EROFS");
    expect(errnoCode(() => vfs.unlink("/", "/missing"))).toBe("ENOENT");
    expect(errnoCode(() => vfs.rename("/", "/f", "/", "/g"))).toBe("EROFS");
    expect(errnoCode(() => vfs.symlink("f", "/", "/l"))).toBe("EROFS");
    expect(errnoCode(() => vfs.link("/", "/f", "/", "/h", false))).toBe("EROFS");
    expect(errnoCode(() => vfs.truncate("/", "/f", 0))).toBe("EROFS");
    expect(errnoCode(() => vfs.utimes("/", "/f", 0, 0, true))).toBe("EROFS");
    expect(fs.readdir("/")).toEqual(["d", "f"]);
    // /proc/mounts says so, as Nanos's does.
    expect(new TextDecoder().decode(vfs.open("/", "/proc/mounts", O_RDONLY).read(4096))).toMatch(/ \/ tfs ro 0 0\n$/);
  });
});

describe("Vfs kernel files", () => {
  it("/dev/null, /dev/zero, /dev/urandom as character devices", () => {
    const { vfs } = setup();
    const nul = vfs.open("/", "/dev/null", O_RDWR);
    expect(nul.read(100).length).toBe(0);
    expect(nul.write(bytes("gone"))).toBe(4);
    expect(nul.seek(100, Seek.SEEK_SET)).toBe(0);
    expect(nul.stat().rdev).toBe(DeviceNumber.null);
    expect(nul.stat().mode).toBe(FileType.S_IFCHR | 0o777); // Nanos: rwx for all without exec protection
    expect(vfs.open("/", "/dev/zero", O_RDONLY).read(5)).toEqual(new Uint8Array(5));
    expect(vfs.open("/", "/dev/urandom", O_RDONLY).read(3)).toEqual(Uint8Array.of(7, 7, 7));
    expect(errnoCode(() => vfs.unlink("/", "/dev/null"))).toBe("EACCES");
    expect(errnoCode(() => vfs.open("/", "/dev/new", O_CREAT | O_WRONLY))).toBe("EACCES");
    expect(errnoCode(() => vfs.rename("/", "/etc/hosts", "/", "/dev/hosts"))).toBe("EXDEV");
  });

  it("/proc/self/exe, /proc/self/maps and the CPU list", () => {
    const { vfs } = setup();
    expect(vfs.readlink("/", "/proc/self/exe")).toBe("/bin/app");
    expect(text(vfs.open("/", "/sys/devices/system/cpu/online", O_RDONLY).read(10))).toBe("0-0\n"); // Nanos's "0-%d"
    expect(vfs.stat("/", "/sys/devices/system/cpu/cpu0", true).mode & 0o170000).toBe(FileType.S_IFDIR);
    expect(text(vfs.open("/", "/proc/meminfo", O_RDONLY).read(4096)).split("\n").slice(0, 2)).toEqual(["MemTotal:        524288 kB", "MemFree:         524288 kB"]);
    expect(text(vfs.open("/", "/proc/mounts", O_RDONLY).read(4096))).toMatch(/^[0-9a-f-]{36} \/ tfs rw 0 0\n$/);
    expect(vfs.open("/", "/proc/self/maps", O_RDONLY).read(10).length).toBe(0);
    expect(errnoCode(() => vfs.open("/", "/proc/self/maps", O_WRONLY))).toBe("EACCES");
  });

  it("a console writes to its sink and is a terminal", () => {
    const { vfs } = setup();
    const out: string[] = [];
    const c = vfs.openConsole(O_RDWR, { write: (b) => out.push(text(b)) });
    expect(c.write(bytes("hi"))).toBe(2);
    expect(out).toEqual(["hi"]);
    expect(c.read(10).length).toBe(0);
    expect(errnoCode(() => c.seek(0, Seek.SEEK_SET))).toBe("ESPIPE");
    expect(c.stat().mode & 0o170000).toBe(FileType.S_IFCHR);
  });

  it("counts open descriptions and forgets closed ones", () => {
    const { vfs } = setup();
    const f = vfs.open("/", "/etc/hosts", O_RDONLY);
    expect(f).toBeInstanceOf(RegularFileDescription);
    expect(vfs.openDescriptions).toBe(1);
    f.close();
    expect(vfs.openDescriptions).toBe(0);
  });
});
