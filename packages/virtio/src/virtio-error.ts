/**
 * Why a virtio operation failed. The device side never throws these out of its loop: it reports
 * them through the transport's `onError` callback and sets DEVICE_NEEDS_RESET instead.
 */
export type VirtioErrorCode =
  /** A guest-physical range lies outside guest memory. */
  | "out-of-range"
  /** A descriptor chain is longer than its table: a loop. */
  | "descriptor-loop"
  /** A descriptor index (chain head or `next`) is not below the table size. */
  | "bad-index"
  /** A device-readable descriptor follows a device-writable one. */
  | "readable-after-writable"
  /** An indirect descriptor that the spec forbids (nested, with NEXT, bad length, not negotiated). */
  | "bad-indirect"
  /** `avail.idx` moved further than the queue size since the device last looked. */
  | "bad-avail-index"
  /** A request inside a well-formed chain is malformed (missing header or status byte). */
  | "bad-request"
  /** The driver broke the status handshake or touched a register at the wrong time. */
  | "protocol"
  /** The driver side was misused (bad arguments) or the device returned a bad used entry. */
  | "driver"
  /** A probe found something that is not a usable virtio-mmio v2 device. */
  | "probe"
  /** Anything unexpected caught at the device boundary. */
  | "internal";

/** A virtio error with a machine-readable code and a message a person can act on. */
export class VirtioError extends Error {
  /** What kind of failure this is. */
  readonly code: VirtioErrorCode;

  /** @param code what kind of failure; @param message what happened and where. */
  constructor(code: VirtioErrorCode, message: string) {
    super(message);
    this.name = "VirtioError";
    this.code = code;
  }
}
