// Trace lines of the time, process and identity calls, in strace's words.
import { describe, expect, it } from "vitest";
import { TestMachine } from "./test-machine.js";
import { writeU32 } from "./user-memory.js";

describe("strace: time and process structs", () => {
  it("shows what the time calls filled", () => {
    const m = new TestMachine();
    const tv = m.alloc(16);
    m.call("gettimeofday", tv, 0);
    expect(m.lastTrace).toBe("gettimeofday({tv_sec=1700000000, tv_usec=123456}, NULL) = 0");
    const t = m.alloc(8);
    m.call("time", t);
    expect(m.lastTrace).toBe("time([1700000000]) = 1700000000");
    m.call("time", 0);
    expect(m.lastTrace).toBe("time(NULL) = 1700000000");
    const tms = m.alloc(32);
    m.call("times", tms);
    expect(m.lastTrace).toBe("times({tms_utime=525, tms_stime=0, tms_cutime=0, tms_cstime=0}) = 525");
    const ru = m.alloc(144);
    m.call("getrusage", -1, ru);
    expect(m.lastTrace).toBe("getrusage(RUSAGE_CHILDREN, {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0");
    m.call("getrusage", 5, ru);
    expect(m.lastTrace).toBe(`getrusage(5, 0x${ru.toString(16)}) = -1 EINVAL (Invalid argument)`);
  });

  it("shows sysinfo, capget headers, prctl options and umask's octal result", () => {
    const m = new TestMachine({ ctx: { freeMemory: () => 1024, limits: { memory: 4096 } } });
    const si = m.alloc(112);
    m.call("sysinfo", si);
    expect(m.lastTrace).toBe(
      "sysinfo({uptime=5, loads=[0, 0, 0], totalram=4096, freeram=1024, sharedram=0, bufferram=0, totalswap=0, freeswap=0, procs=1, totalhigh=0, freehigh=0, mem_unit=1}) = 0",
    );
    const hdr = m.alloc(8);
    m.call("capget", hdr, 0);
    expect(m.lastTrace).toBe("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, NULL) = 0");
    writeU32(m.mem, hdr, 0x19980330);
    writeU32(m.mem, hdr + 4, 1);
    m.call("capget", hdr, 0);
    expect(m.lastTrace).toBe("capget({version=_LINUX_CAPABILITY_VERSION_1, pid=1}, NULL) = 0");
    m.call("prctl", 4, 1, 0, 0, 0);
    expect(m.lastTrace).toBe("prctl(PR_SET_DUMPABLE, SUID_DUMP_USER) = 0");
    m.call("prctl", 3, 0x55, 0, 0, 0);
    expect(m.lastTrace).toBe("prctl(PR_GET_DUMPABLE) = 1");
    m.call("prctl", 15, m.str("worker"), 0, 0, 0);
    expect(m.lastTrace).toBe('prctl(PR_SET_NAME, "worker") = 0');
    const name = m.alloc(16);
    m.call("prctl", 16, name, 0, 0, 0);
    expect(m.lastTrace).toBe('prctl(PR_GET_NAME, "worker") = 0');
    m.call("prctl", 1, 15, 0, 0, 0);
    expect(m.lastTrace).toBe("prctl(PR_SET_PDEATHSIG, SIGTERM) = 0");
    const sig = m.alloc(4);
    m.call("prctl", 2, sig, 0, 0, 0);
    expect(m.lastTrace).toBe("prctl(PR_GET_PDEATHSIG, [SIGTERM]) = 0");
    m.call("prctl", 38, 1, 0, 0, 0);
    expect(m.lastTrace).toBe("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0");
    m.call("prctl", 1234, 0, 0, 0, 0);
    expect(m.lastTrace).toBe("prctl(1234, 0, 0, 0, 0) = -1 EINVAL (Invalid argument)");
    m.call("umask", 0o77);
    expect(m.lastTrace).toBe("umask(077) = 022");
  });
});
