import { describe, expect, it } from "vitest";
import { DATA } from "../testing/machine.js";
import { driveDevice } from "../testing/queue-driver.js";
import { featureMask } from "../virtio-constants.js";
import { ConsoleFeatureBit, ConsoleQueue, VirtioConsoleDevice } from "./console-device.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function setup(options: { inputLimit?: number } = {}) {
  const output: Uint8Array[] = [];
  const device = new VirtioConsoleDevice({ output: (bytes) => output.push(bytes), size: { cols: 80, rows: 25 }, ...options });
  const m = driveDevice(device, 2, 8, featureMask(ConsoleFeatureBit.EMERG_WRITE) | featureMask(ConsoleFeatureBit.SIZE));
  return { device, m, output };
}

describe("virtio-console", () => {
  it("prints what the guest transmits, gathered across segments", () => {
    const { m, output } = setup();
    m.memory.bytes(DATA, 6).set(new TextEncoder().encode("hello "));
    m.memory.bytes(DATA + 0x100, 6).set(new TextEncoder().encode("world\n"));
    const len = m.request(ConsoleQueue.TRANSMIT, [{ addr: DATA, len: 6, writable: false }, { addr: DATA + 0x100, len: 6, writable: false }]);
    expect(len()).toBe(0);
    expect(output.map(text)).toEqual(["hello world\n"]);
  });

  it("delivers host input into posted receive buffers, keeping it until buffers come", () => {
    const { device, m } = setup();
    device.input(new TextEncoder().encode("abcdef"));
    expect(device.bufferedInput).toBe(6);
    const first = m.request(ConsoleQueue.RECEIVE, [{ addr: DATA, len: 4, writable: true }]);
    expect(first()).toBe(4);
    expect(text(m.memory.bytes(DATA, 4))).toBe("abcd");
    const second = m.request(ConsoleQueue.RECEIVE, [{ addr: DATA + 0x10, len: 1, writable: true }, { addr: DATA + 0x20, len: 8, writable: true }]);
    expect(second()).toBe(2);
    expect(text(m.memory.bytes(DATA + 0x10, 1)) + text(m.memory.bytes(DATA + 0x20, 1))).toBe("ef");
    // A posted buffer with nothing to deliver waits for the next input.
    const third = m.request(ConsoleQueue.RECEIVE, [{ addr: DATA + 0x40, len: 8, writable: true }]);
    expect(third()).toBeUndefined();
    device.input(new TextEncoder().encode("xyz"));
    m.queues[ConsoleQueue.RECEIVE]!.reap();
    expect(third()).toBe(3);
    expect(text(m.memory.bytes(DATA + 0x40, 3))).toBe("xyz");
  });

  it("drops input beyond the limit and counts it", () => {
    const { device } = setup({ inputLimit: 4 });
    device.input(new TextEncoder().encode("123456"));
    expect(device.bufferedInput).toBe(4);
    expect(device.droppedInput).toBe(2);
  });

  it("caps what one transmit chain may print", () => {
    const output: Uint8Array[] = [];
    const device = new VirtioConsoleDevice({ output: (bytes) => output.push(bytes), maxTransmit: 100 });
    const m = driveDevice(device, 2);
    const segments = Array.from({ length: 8 }, () => ({ addr: 0, len: 4 << 20, writable: false }));
    m.request(ConsoleQueue.TRANSMIT, segments);
    expect(output.map((b) => b.length)).toEqual([100]);
    expect(device.droppedOutput).toBe(8 * (4 << 20) - 100);
  });

  it("reports its size and takes emergency writes", () => {
    const { m, output } = setup();
    expect(m.driver.readConfig(0, 2)).toBe(80);
    expect(m.driver.readConfig(2, 2)).toBe(25);
    m.driver.writeConfig(8, 4, 0x21);
    expect(output.map(text)).toEqual(["!"]);
  });
});
