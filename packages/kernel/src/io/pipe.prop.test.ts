import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Pipe, PIPE_BUF, PIPE_SLOTS } from "./pipe.js";

/** A reference of Linux's pipe: a list of page buffers with their unread lengths and ends. */
class ModelPipe {
  readonly pages: Array<{ start: number; end: number }> = [];
  readonly bytes: number[] = [];

  /** Non-blocking write of `n` bytes: what goes in (merge of the sub-page tail, then pages). */
  write(data: number[]): number {
    let done = 0;
    const chars = data.length % 4096;
    const last = this.pages[this.pages.length - 1];
    if (chars !== 0 && last !== undefined && last.end + chars <= 4096) {
      last.end += chars;
      done = chars;
    }
    while (done < data.length && this.pages.length < PIPE_SLOTS) {
      const n = Math.min(4096, data.length - done);
      this.pages.push({ start: 0, end: n });
      done += n;
    }
    this.bytes.push(...data.slice(0, done));
    return done;
  }

  read(n: number): number[] {
    const out = this.bytes.splice(0, n);
    let left = out.length;
    while (left > 0) {
      const p = this.pages[0]!;
      const k = Math.min(left, p.end - p.start);
      p.start += k;
      left -= k;
      if (p.start === p.end) this.pages.shift();
    }
    return out;
  }
}

const op = fc.oneof(
  fc.record({ write: fc.integer({ min: 1, max: 9000 }) }),
  fc.record({ read: fc.integer({ min: 1, max: 9000 }) }),
);

describe("Pipe properties", () => {
  it("moves bytes in order, fills pages as Linux does, and never splits a write of at most PIPE_BUF", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const pipe = new Pipe();
        const model = new ModelPipe();
        let next = 0;
        for (const o of ops) {
          if ("write" in o) {
            const data = Array.from({ length: o.write }, () => next++ & 0xff);
            const n = pipe.append(Uint8Array.from(data), PIPE_SLOTS);
            expect(n).toBe(model.write(data));
            if (o.write <= PIPE_BUF) expect(n === 0 || n === o.write).toBe(true);
          } else {
            expect([...pipe.take(o.read)]).toEqual(model.read(o.read));
          }
          expect(pipe.size).toBe(model.bytes.length);
          expect(pipe.buffers.length).toBe(model.pages.length);
          expect(pipe.full).toBe(model.pages.length >= PIPE_SLOTS);
          expect(pipe.buffers.length).toBeLessThanOrEqual(PIPE_SLOTS);
        }
      }),
      { numRuns: 200 },
    );
  });
});
