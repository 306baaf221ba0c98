import { randomFillSync } from "node:crypto";
import type { EntropySource } from "../devices/entropy-source.js";

/** An {@link EntropySource} over `node:crypto`'s CSPRNG (`randomFillSync`, no size limit). */
export const nodeEntropy: EntropySource = {
  fill(bytes: Uint8Array): void {
    randomFillSync(bytes);
  },
};
