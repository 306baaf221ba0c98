// The README's example, kept runnable.
import { describe, expect, it } from "vitest";
import { parseManifest, printValue, Tuple, TupleCodec } from "@nanots/tuple";

describe("README example", () => {
  it("parses a manifest, prints it like dump, and round-trips it through the TFS encoding", () => {
    const root = parseManifest(`
      # a Nanos manifest
      (
        children:(hello:(contents:(host:build/hello)))
        program:/hello
        arguments:[/hello "big world"]
        environment:(USER:me PATH:/bin:/usr/bin)
      )`);
    expect(printValue(root, { indent: 0 })).toBe(
      [
        "(arguments:[/hello",
        "            big world]",
        " children:(hello:(contents:(host:build/hello)))",
        " environment:(PATH:/bin:/usr/bin",
        "              USER:me)",
        " program:/hello)",
      ].join("\n"),
    );

    const writer = new TupleCodec();
    const record = writer.encodeTuple(root);
    const update = writer.encodeEav(root.getTuple("environment")!, "HOME", "/");
    const reader = new TupleCodec();
    reader.decode(record);
    reader.decode(update);
    expect(printValue(reader.root)).toBe(
      "(arguments:[/hello big world] children:(hello:(contents:(host:build/hello))) environment:(HOME:/ PATH:/bin:/usr/bin USER:me) program:/hello)",
    );
    expect(reader.root!.getTuple("environment")!.getString("HOME")).toBe("/");
    expect(reader.root).toBeInstanceOf(Tuple);
  });
});
