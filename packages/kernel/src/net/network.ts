// The sockets' world inside the VM: the AF_UNIX names, the TCP and UDP port tables, and the
// machine services sockets need (the scheduler to wait, signals for SIGPIPE).
import type { Vfs } from "@nanots/syscalls";
import type { Scheduler } from "../threads/scheduler.js";
import { FdsInFlight } from "./fds-in-flight.js";
import { InetPorts } from "./inet-ports.js";
import { UnixNames } from "./unix-names.js";

/** What {@link Network} needs from the machine. */
export interface NetworkHost {
  scheduler: Scheduler;
  vfs: Vfs;
  /** Sends a signal to the calling thread (SIGPIPE). */
  raise: (signal: number) => void;
  /** A number that changes between any two syscalls (the CPU's retired-instruction count). */
  callToken: () => number;
}

/** The in-VM network: namespaces and ports shared by all sockets. */
export class Network {
  readonly unix: UnixNames;
  readonly tcp = new InetPorts(true);
  readonly udp = new InetPorts(false);
  /** Descriptions inside unread SCM_RIGHTS messages. */
  readonly inFlight = new FdsInFlight();
  readonly scheduler: Scheduler;
  readonly raise: (signal: number) => void;
  readonly callToken: () => number;

  constructor(host: NetworkHost) {
    this.unix = new UnixNames(host.vfs);
    this.scheduler = host.scheduler;
    this.raise = host.raise;
    this.callToken = host.callToken;
  }
}
