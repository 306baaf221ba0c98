import { describe, expect, it } from "vitest";
import { MemoryBlockDevice } from "./memory-block-device.js";
import { readLog } from "./log-reader.js";
import { fixtureImage, fixtureNames, fixtureText } from "./testing/fixtures.js";
import { formatUuid } from "./log-header.js";

describe("readLog on the Nanos fixtures", () => {
  for (const name of fixtureNames()) {
    it(`${name}: chain, label and UUID match meta.json`, () => {
      const meta = JSON.parse(fixtureText(name, "meta.json")) as { label: string; uuid: string; extensions: number[][] };
      const log = readLog(MemoryBlockDevice.from(fixtureImage(name)));
      expect(log.label).toBe(meta.label);
      expect(formatUuid(log.uuid).replaceAll("-", "")).toBe(meta.uuid);
      expect(log.extensions.map((e) => [e.start, e.sectors, e.version])).toEqual(meta.extensions);
    });
  }
});
