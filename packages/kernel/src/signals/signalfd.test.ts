import { encodeSiginfo } from "@nanots/syscalls";
import { describe, expect, it } from "vitest";
import { faultInfo, senderInfo, SiCode, timerInfo } from "./siginfo.js";
import { signalfdSiginfo, SIGNALFD_SIGINFO_SIZE } from "./signalfd.js";

const fields = (b: Uint8Array) => {
  const v = new DataView(b.buffer);
  return {
    signo: v.getUint32(0, true), code: v.getInt32(8, true), pid: v.getUint32(12, true), uid: v.getUint32(16, true),
    tid: v.getUint32(24, true), overrun: v.getUint32(32, true), int: v.getInt32(44, true), ptr: v.getBigUint64(48, true), addr: v.getBigUint64(72, true),
  };
};

describe("signalfd_siginfo", () => {
  it("is 128 bytes with the sender of kill and tgkill", () => {
    const r = signalfdSiginfo(senderInfo(10, SiCode.TKILL));
    expect(r.length).toBe(SIGNALFD_SIGINFO_SIZE);
    expect(fields(r)).toMatchObject({ signo: 10, code: SiCode.TKILL, pid: 1, uid: 0, addr: 0n });
  });

  it("carries sigqueue's value, a timer's id and overrun, a fault's address", () => {
    const queued = encodeSiginfo({ signo: 40, errno: 0, code: SiCode.QUEUE, pid: 1, uid: 0, value: 0x1_0000_0007 });
    expect(fields(signalfdSiginfo(queued))).toMatchObject({ signo: 40, pid: 1, int: 7, ptr: 0x1_0000_0007n });
    const timer = timerInfo(34, 3, 99n);
    new DataView(timer.buffer).setInt32(20, 5, true);
    expect(fields(signalfdSiginfo(timer))).toMatchObject({ code: SiCode.TIMER, tid: 3, overrun: 5, int: 99, pid: 0 });
    expect(fields(signalfdSiginfo(faultInfo(11, 1, 0xdead000)))).toMatchObject({ signo: 11, addr: 0xdead000n, pid: 0 });
  });
});
