/**
 * Receives the messages Nanos would log with `msg_err`: invalid frees, size mismatches,
 * overlapping ranges. The operation that reported it returns a failure value and leaks the
 * block; nothing is thrown.
 */
export type Diagnostic = (message: string) => void;

/** The default diagnostic: ignore. Pass your own to log or to count problems. */
export const ignoreDiagnostic: Diagnostic = () => {};
