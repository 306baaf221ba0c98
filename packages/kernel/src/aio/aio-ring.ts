// A Linux AIO context: the completion ring the guest sees (struct aio_ring followed by struct
// io_event slots, mapped into its address space; the ring's address is the aio_context_t) and
// the kernel's record of it. Completions go in at the tail; io_getevents, or the program
// itself, takes them from the head.
import type { UserMemory } from "@nanots/syscalls";
import { Readiness } from "../io/readiness.js";

/** Bytes of struct aio_ring before the events. */
export const AIO_RING_HEADER = 32;
/** Bytes of struct io_event. */
export const IO_EVENT_SIZE = 32;
const AIO_RING_MAGIC = 0xa10a10a1;

/** One completion: struct io_event. */
export interface IoEvent {
  /** The iocb's aio_data. */
  data: bigint;
  /** The iocb's address. */
  obj: number;
  /** Bytes moved, or a negative errno. */
  res: number;
}

/** One AIO context: its ring in guest memory and the kernel's copy of the completions. */
export class AioRing {
  /** Signalled at each completion, for io_getevents waiting for more. */
  readonly readiness = new Readiness();
  private head = 0;
  private tail = 0;
  /** The kernel's copy of each slot: the program may unmap or scribble on its view. */
  private readonly slots: Uint8Array[] = [];

  constructor(
    /** The guest address of the ring: the context id. */
    readonly address: number,
    /** Event slots; one stays empty, so nr - 1 completions fit. */
    readonly nr: number,
    /** Bytes mapped. */
    readonly size: number,
    private readonly memory: UserMemory,
  ) {
    const header = new DataView(new ArrayBuffer(AIO_RING_HEADER));
    header.setUint32(0, 0, true); // id
    header.setUint32(4, nr, true);
    header.setUint32(8, 0, true); // head
    header.setUint32(12, 0, true); // tail
    header.setUint32(16, AIO_RING_MAGIC, true);
    header.setUint32(20, 1, true); // compat_features, as Linux
    header.setUint32(24, 0, true); // incompat_features
    header.setUint32(28, AIO_RING_HEADER, true);
    memory.write(address, new Uint8Array(header.buffer));
  }

  /** The head as the program left it (it may reap events itself), else the kernel's. */
  private syncHead(): void {
    const b = this.memory.read(this.address + 8, 4);
    const head = b === undefined ? this.head : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
    if (head < this.nr) this.head = head;
  }

  /** Completions waiting in the ring. */
  get pending(): number {
    this.syncHead();
    return (this.tail - this.head + this.nr) % this.nr;
  }

  /** Room for another completion. */
  get full(): boolean {
    return this.pending >= this.nr - 1;
  }

  /** Adds a completion at the tail. */
  complete(event: IoEvent): void {
    const slot = new DataView(new ArrayBuffer(IO_EVENT_SIZE));
    slot.setBigUint64(0, event.data, true);
    slot.setBigUint64(8, BigInt(event.obj), true);
    slot.setBigInt64(16, BigInt(event.res), true);
    const bytes = new Uint8Array(slot.buffer);
    this.slots[this.tail] = bytes;
    this.memory.write(this.address + AIO_RING_HEADER + this.tail * IO_EVENT_SIZE, bytes);
    this.tail = (this.tail + 1) % this.nr;
    this.writeIndex(12, this.tail);
    this.readiness.notify();
  }

  /** Takes up to `max` completions from the head, as io_event bytes. */
  take(max: number): Uint8Array {
    const n = Math.min(max, this.pending);
    const out = new Uint8Array(n * IO_EVENT_SIZE);
    for (let k = 0; k < n; k++) out.set(this.slots[(this.head + k) % this.nr] ?? new Uint8Array(IO_EVENT_SIZE), k * IO_EVENT_SIZE);
    return out;
  }

  /** Forgets the first `n` completions (after they were copied out). */
  consume(n: number): void {
    this.head = (this.head + n) % this.nr;
    this.writeIndex(8, this.head);
  }

  private writeIndex(offset: number, value: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, true);
    this.memory.write(this.address + offset, b);
  }
}
