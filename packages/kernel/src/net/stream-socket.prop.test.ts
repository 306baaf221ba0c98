import fc from "fast-check";
import { errnoOf } from "@nanots/syscalls";
import { describe, expect, it } from "vitest";
import { DatagramSocket } from "./datagram-socket.js";
import { Network } from "./network.js";
import { MsgFlag, SOCK_NONBLOCK, SocketType } from "./socket-constants.js";
import { STREAM_CAPACITY, StreamSocket } from "./stream-socket.js";

// Non-blocking sockets never wait, so no scheduler is needed; each operation is its own "syscall".
function network(): Network {
  let call = 0;
  return new Network({ scheduler: undefined as never, vfs: undefined as never, raise: () => {}, callToken: () => call++ });
}

const EAGAIN = 11;
const errno = (f: () => unknown): number | undefined => {
  try {
    f();
  } catch (e) {
    return errnoOf(e);
  }
  return undefined;
};

const op = fc.oneof(
  fc.record({ kind: fc.constant("send" as const), size: fc.integer({ min: 0, max: 100_000 }), fill: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant("recv" as const), size: fc.integer({ min: 0, max: 120_000 }), peek: fc.boolean() }),
);

describe("a socketpair against a model", () => {
  it("SOCK_STREAM is a byte stream: every byte arrives once, in order; sends are short only when full", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const net = network();
        const a = new StreamSocket(net, 1, SocketType.SOCK_STREAM, 0, SOCK_NONBLOCK);
        const b = new StreamSocket(net, 1, SocketType.SOCK_STREAM, 0, SOCK_NONBLOCK);
        StreamSocket.pair(a, b);
        let model: number[] = [];
        for (const o of ops) {
          if (o.kind === "send") {
            const data = new Uint8Array(o.size).fill(o.fill);
            const room = STREAM_CAPACITY - model.length;
            if (o.size > 0 && room === 0) {
              expect(errno(() => a.send({ data, flags: 0 }))).toBe(EAGAIN);
              continue;
            }
            const n = a.send({ data, flags: 0 });
            expect(n).toBe(Math.min(o.size, room));
            model = model.concat(Array.from(data.subarray(0, n)));
          } else if (model.length === 0 && o.size > 0) {
            expect(errno(() => b.receive(o.size, o.peek ? MsgFlag.MSG_PEEK : 0))).toBe(EAGAIN);
          } else {
            const r = b.receive(o.size, o.peek ? MsgFlag.MSG_PEEK : 0);
            const n = Math.min(o.size, model.length);
            expect(Array.from(r.data)).toEqual(model.slice(0, n));
            if (!o.peek) model = model.slice(n);
          }
          expect(b.available()).toBe(model.length);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("SOCK_SEQPACKET and SOCK_DGRAM keep records: each read takes one, truncated to the buffer", () => {
    fc.assert(
      fc.property(fc.constantFrom(SocketType.SOCK_SEQPACKET, SocketType.SOCK_DGRAM), fc.array(op, { maxLength: 40 }), (type, ops) => {
        const net = network();
        const make = (): StreamSocket | DatagramSocket =>
          type === SocketType.SOCK_DGRAM ? new DatagramSocket(net, 1, type, 0, SOCK_NONBLOCK) : new StreamSocket(net, 1, type, 0, SOCK_NONBLOCK);
        const a = make();
        const b = make();
        if (a instanceof StreamSocket && b instanceof StreamSocket) StreamSocket.pair(a, b);
        else DatagramSocket.pair(a as DatagramSocket, b as DatagramSocket);
        const model: Uint8Array[] = [];
        for (const o of ops) {
          if (o.kind === "send") {
            const data = new Uint8Array(o.size % 5000).fill(o.fill);
            const n = a.send({ data, flags: 0 });
            expect(n).toBe(data.length);
            model.push(data);
          } else if (model.length === 0) {
            expect(errno(() => b.receive(o.size, 0))).toBe(EAGAIN);
          } else {
            const r = b.receive(o.size % 6000, o.peek ? MsgFlag.MSG_PEEK : 0);
            const record = model[0]!;
            expect(r.length).toBe(record.length);
            expect(Array.from(r.data)).toEqual(Array.from(record.subarray(0, o.size % 6000)));
            if (!o.peek) model.shift();
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
