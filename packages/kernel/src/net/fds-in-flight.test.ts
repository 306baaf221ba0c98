import { describe, expect, it } from "vitest";
import { FdTable, FileDescription, type StatData } from "@nanots/syscalls";
import { anonymousStat } from "../io/pipe.js";
import { FdsInFlight } from "./fds-in-flight.js";

class Counted extends FileDescription {
  released = 0;
  constructor() {
    super(2, "test:");
  }
  stat(): StatData {
    return anonymousStat(0o100600);
  }
  protected override release(): void {
    this.released++;
  }
}

describe("FdsInFlight (SCM_RIGHTS)", () => {
  it("keeps a description whose last fd closes in flight, and closes it when the message is dropped", () => {
    const fds = new FdTable();
    const flight = new FdsInFlight();
    const d = new Counted();
    const fd = fds.install(d, false);
    flight.hold(d);
    fds.close(fd);
    expect(d.released).toBe(0);
    flight.release(d, false);
    expect(d.released).toBe(1);
    expect(flight.size).toBe(0);
  });

  it("hands it over when received: the new fd owns it, closing that fd closes it once", () => {
    const fds = new FdTable();
    const flight = new FdsInFlight();
    const d = new Counted();
    const sent = fds.install(d, false);
    flight.hold(d);
    fds.close(sent);
    const fd = fds.install(d, false);
    flight.release(d, true);
    expect(d.released).toBe(0);
    fds.close(fd);
    expect(d.released).toBe(1);
  });

  it("does not close a description the sender still has open", () => {
    const fds = new FdTable();
    const flight = new FdsInFlight();
    const d = new Counted();
    const fd = fds.install(d, false);
    flight.hold(d);
    flight.hold(d); // passed twice
    flight.release(d, false);
    flight.release(d, false);
    expect(d.released).toBe(0);
    fds.close(fd);
    expect(d.released).toBe(1);
  });
});
