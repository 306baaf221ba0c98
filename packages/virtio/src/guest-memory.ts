import { TWO_32 } from "./virtio-constants.js";
import { VirtioError } from "./virtio-error.js";

/**
 * Guest-physical memory as the virtio code sees it: bounds-checked little-endian accessors and
 * zero-copy byte views. Addresses are guest-physical `number`s (documented limit 2^53).
 * Every accessor throws a {@link VirtioError} with code `out-of-range` for a range outside memory.
 */
export interface GuestMemory {
  /** Size in bytes; valid addresses are `0 ≤ addr < size`. */
  readonly size: number;
  /** True when `[addr, addr + len)` lies inside memory (never throws). */
  contains(addr: number, len: number): boolean;
  /** A live view of `[addr, addr + len)`: writes to it are writes to guest memory. */
  bytes(addr: number, len: number): Uint8Array;
  /** Reads a byte. */
  read8(addr: number): number;
  /** Reads a little-endian u16. */
  read16(addr: number): number;
  /** Reads a little-endian u32. */
  read32(addr: number): number;
  /** Reads a u64; values above 2^53 lose precision (they are out of range as addresses anyway). */
  read64(addr: number): number;
  /** Writes a byte (the low 8 bits of `value`). */
  write8(addr: number, value: number): void;
  /** Writes a little-endian u16 (the low 16 bits of `value`). */
  write16(addr: number, value: number): void;
  /** Writes a little-endian u32 (the low 32 bits of `value`). */
  write32(addr: number, value: number): void;
  /** Writes a u64 from a non-negative integer below 2^53. */
  write64(addr: number, value: number): void;
}

/** Anything that owns a (possibly growing) buffer, such as a `WebAssembly.Memory`. */
export interface BufferOwner {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}


/**
 * {@link GuestMemory} over an `ArrayBuffer`, a `SharedArrayBuffer`, a `Uint8Array` or a
 * `WebAssembly.Memory`. When a `WebAssembly.Memory` grows, its old buffer is detached; the next
 * access that misses the bounds re-reads `memory.buffer`, so the hot path pays nothing for it.
 */
export class BufferGuestMemory implements GuestMemory {
  private readonly owner: BufferOwner | undefined;
  private u8: Uint8Array;
  private view: DataView;

  /** @param source the memory to wrap; a `Uint8Array` is used as-is (its own window). */
  constructor(source: ArrayBuffer | SharedArrayBuffer | Uint8Array | BufferOwner) {
    if (source instanceof Uint8Array) {
      this.owner = undefined;
      this.u8 = source;
    } else if (source instanceof ArrayBuffer || isSharedArrayBuffer(source)) {
      this.owner = undefined;
      this.u8 = new Uint8Array(source);
    } else {
      this.owner = source;
      this.u8 = new Uint8Array(source.buffer);
    }
    this.view = new DataView(this.u8.buffer, this.u8.byteOffset, this.u8.byteLength);
  }

  get size(): number {
    this.refresh();
    return this.u8.length;
  }

  contains(addr: number, len: number): boolean {
    return this.fits(addr, len) || (this.refresh() && this.fits(addr, len));
  }

  bytes(addr: number, len: number): Uint8Array {
    this.check(addr, len);
    return this.u8.subarray(addr, addr + len);
  }

  read8(addr: number): number {
    this.check(addr, 1);
    return this.u8[addr]!;
  }

  read16(addr: number): number {
    this.check(addr, 2);
    return this.view.getUint16(addr, true);
  }

  read32(addr: number): number {
    this.check(addr, 4);
    return this.view.getUint32(addr, true);
  }

  read64(addr: number): number {
    this.check(addr, 8);
    return this.view.getUint32(addr, true) + this.view.getUint32(addr + 4, true) * TWO_32;
  }

  write8(addr: number, value: number): void {
    this.check(addr, 1);
    this.u8[addr] = value;
  }

  write16(addr: number, value: number): void {
    this.check(addr, 2);
    this.view.setUint16(addr, value, true);
  }

  write32(addr: number, value: number): void {
    this.check(addr, 4);
    this.view.setUint32(addr, value >>> 0, true);
  }

  write64(addr: number, value: number): void {
    this.check(addr, 8);
    this.view.setUint32(addr, value % TWO_32, true);
    this.view.setUint32(addr + 4, Math.floor(value / TWO_32), true);
  }

  private fits(addr: number, len: number): boolean {
    // Written so that NaN and negative values fail too.
    return addr >= 0 && len >= 0 && addr + len <= this.u8.length;
  }

  private check(addr: number, len: number): void {
    if (this.fits(addr, len) || (this.refresh() && this.fits(addr, len))) return;
    throw new VirtioError(
      "out-of-range",
      `guest range [0x${hex(addr)}, +${len}) is outside guest memory of ${this.u8.length} bytes`,
    );
  }

  /** Re-reads a grown `WebAssembly.Memory`; returns true when the view changed. */
  private refresh(): boolean {
    if (this.owner === undefined || this.owner.buffer === this.u8.buffer) return false;
    this.u8 = new Uint8Array(this.owner.buffer);
    this.view = new DataView(this.u8.buffer);
    return true;
  }
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer;
}

/** Formats an address for messages; non-numbers print as they are. */
export function hex(value: number): string {
  return Number.isFinite(value) && value >= 0 ? value.toString(16) : String(value);
}
