/** Where a virtio-rng device gets its bytes: a CSPRNG on the host. */
export interface EntropySource {
  /** Fills `bytes` (a live view of guest memory) with random bytes. */
  fill(bytes: Uint8Array): void;
}

interface WebCrypto {
  getRandomValues(array: Uint8Array): Uint8Array;
}

/** Web Crypto's `getRandomValues` limit per call. */
const CHUNK = 65536;

/**
 * An {@link EntropySource} over Web Crypto (`globalThis.crypto.getRandomValues`), available in
 * browsers, workers and Node. `@nanots/virtio/node` has a faster one over `node:crypto`.
 */
export const webCryptoEntropy: EntropySource = {
  fill(bytes: Uint8Array): void {
    const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
    if (crypto === undefined) throw new Error("no Web Crypto here: pass an EntropySource to VirtioRngDevice");
    // Web Crypto refuses views of shared memory; fill a private chunk and copy it then.
    const direct = !(typeof SharedArrayBuffer !== "undefined" && bytes.buffer instanceof SharedArrayBuffer);
    const scratch = direct ? undefined : new Uint8Array(Math.min(CHUNK, bytes.length));
    for (let at = 0; at < bytes.length; at += CHUNK) {
      const part = bytes.subarray(at, at + CHUNK);
      if (scratch === undefined) crypto.getRandomValues(part);
      else part.set(crypto.getRandomValues(scratch.subarray(0, part.length)));
    }
  },
};
