import { describe, expect, it } from "vitest";
import { RefCount } from "./ref-count.js";
import { SgList } from "./sg-list.js";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** A fragment with a reference whose frees are counted. */
function counted(s: string, freed: string[]) {
  return [text(s), new RefCount(() => freed.push(s))] as const;
}

describe("SgList", () => {
  it("appends fragments and reports entries and live bytes", () => {
    const sg = new SgList();
    sg.append(text("abc"));
    sg.append(text("defg"));
    expect(sg.length).toBe(2);
    expect(sg.totalLength).toBe(7);
    expect(str(sg.toUint8Array())).toBe("abcdefg");
    expect(sg.peekAt(1)?.bytes.length).toBe(4);
    expect(sg.peekAt(2)).toBeUndefined();
  });

  it("drops an empty fragment at once, releasing it", () => {
    const freed: string[] = [];
    const sg = new SgList();
    expect(sg.append(...counted("", freed))).toBeUndefined();
    expect(freed).toEqual([""]);
    expect(sg.length).toBe(0);
  });

  it("consume advances through fragments and releases each used-up one once", () => {
    const freed: string[] = [];
    const sg = new SgList();
    sg.append(...counted("abc", freed));
    sg.append(...counted("defg", freed));
    expect(sg.consume(2)).toBe(2);
    expect(freed).toEqual([]);
    expect(sg.totalLength).toBe(5);
    expect(sg.consume(1)).toBe(1);
    expect(freed).toEqual(["abc"]);
    expect(sg.consume(100)).toBe(4);
    expect(freed).toEqual(["abc", "defg"]);
    expect(sg.totalLength).toBe(0);
    expect(sg.consume(1)).toBe(0);
  });

  it("copyTo copies across fragments and consumes", () => {
    const sg = new SgList();
    sg.append(text("hello "));
    sg.append(text("world"));
    const out = new Uint8Array(8);
    expect(sg.copyTo(out)).toBe(8);
    expect(str(out)).toBe("hello wo");
    expect(str(sg.toUint8Array())).toBe("rld");
    expect(sg.copyTo(new Uint8Array(10))).toBe(3);
  });

  it("copyFrom fills the list's memory (a read's iovecs)", () => {
    const a = new Uint8Array(3);
    const b = new Uint8Array(3);
    const sg = new SgList();
    sg.append(a);
    sg.append(b);
    expect(sg.copyFrom(text("wxyz"))).toBe(4);
    expect(str(a)).toBe("wxy");
    expect(b[0]).toBe("z".charCodeAt(0));
    expect(sg.totalLength).toBe(2);
  });

  it("zeroFill zeroes the list's memory and consumes it", () => {
    const a = text("abcd");
    const sg = new SgList();
    sg.append(a);
    expect(sg.zeroFill(3)).toBe(3);
    expect([...a]).toEqual([0, 0, 0, "d".charCodeAt(0)]);
    expect(sg.zeroFill(9)).toBe(1);
    expect(a[3]).toBe(0);
  });

  it("removeHead hands the fragment and its reference to the caller", () => {
    const freed: string[] = [];
    const sg = new SgList();
    sg.append(...counted("ab", freed));
    sg.consume(1);
    const head = sg.removeHead()!;
    expect(head.offset).toBe(1);
    expect(sg.totalLength).toBe(0);
    expect(freed).toEqual([]);
    head.ref?.release();
    expect(freed).toEqual(["ab"]);
    expect(sg.removeHead()).toBeUndefined();
  });

  it("keeps front removal cheap over many fragments", () => {
    const sg = new SgList();
    for (let i = 0; i < 5000; i++) sg.append(Uint8Array.of(i & 0xff));
    const out = new Uint8Array(4000);
    expect(sg.copyTo(out)).toBe(4000);
    expect(out[3999]).toBe(3999 & 0xff);
    expect(sg.length).toBe(1000);
    expect(sg.peekHead()?.bytes[0]).toBe(4000 & 0xff);
  });
});

describe("SgList: Nanos bugs, fixed", () => {
  // Nanos's sg_move gives the new entry size = offset + len but adds only len to the count,
  // so the destination's total length went 4 → −4 once copied out.
  it("moveTo keeps both lists' lengths exact when the source was partly consumed", () => {
    const src = new SgList();
    src.append(text("abcdefghij"));
    src.consume(2);
    const dst = new SgList();
    expect(src.moveTo(dst, 4)).toBe(4);
    expect(dst.totalLength).toBe(4);
    expect(src.totalLength).toBe(4);
    const out = new Uint8Array(4);
    expect(dst.copyTo(out)).toBe(4);
    expect(str(out)).toBe("cdef");
    expect(dst.totalLength).toBe(0);
  });

  // Nanos's sg_copy_to_buf_and_release copies from the start of each fragment, ignoring its
  // offset: it returned "abcdefgh" instead of "cdefghij".
  it("copyToAndRelease honours consumed prefixes and releases everything", () => {
    const freed: string[] = [];
    const sg = new SgList();
    sg.append(...counted("abcdef", freed));
    sg.append(...counted("ghij", freed));
    sg.consume(2);
    const out = new Uint8Array(8);
    expect(sg.copyToAndRelease(out)).toBe(8);
    expect(str(out)).toBe("cdefghij");
    expect(freed).toEqual(["abcdef", "ghij"]);
    expect(sg.length).toBe(0);
  });

  // Nanos's sg_move dereferences the refcount unconditionally and crashed on a null one.
  it("moveTo works on fragments without a reference", () => {
    const src = new SgList();
    src.append(text("xyz"));
    const dst = new SgList();
    expect(src.moveTo(dst, 10)).toBe(3);
    expect(str(dst.toUint8Array())).toBe("xyz");
    expect(src.length).toBe(0);
  });

  it("moveTo shares memory and releases it only after both lists let go", () => {
    const freed: string[] = [];
    const src = new SgList();
    const [bytes, ref] = counted("shared", freed);
    src.append(bytes, ref);
    const dst = new SgList();
    src.moveTo(dst, 3);
    expect(ref.references).toBe(2);
    bytes[0] = "S".charCodeAt(0); // zero-copy: dst sees the change
    expect(str(dst.toUint8Array())).toBe("Sha");
    src.release();
    expect(freed).toEqual([]);
    dst.release();
    expect(freed).toEqual(["shared"]);
  });
});

describe("RefCount", () => {
  it("frees once and rejects over-release and resurrection", () => {
    let frees = 0;
    const ref = new RefCount(() => frees++);
    ref.retain();
    ref.release();
    ref.release();
    expect(frees).toBe(1);
    expect(() => ref.release()).toThrow(/released more often/);
    expect(() => ref.retain()).toThrow(/after the memory was freed/);
    expect(() => new RefCount(() => {}, 0)).toThrow(RangeError);
  });
});
