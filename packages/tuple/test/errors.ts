// Test-only: the TupleError a call throws (fails the test if it throws nothing or another error).
import { TupleError } from "../src/tuple-error.js";

export function errorOf(fn: () => unknown): TupleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TupleError) return e;
    throw e;
  }
  throw new Error("no error thrown");
}
