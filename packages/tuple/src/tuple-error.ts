/** Where in the input a {@link TupleError} was detected. */
export interface TuplePosition {
  /** Byte offset into the binary input (binary decoding). */
  offset?: number;
  /** 1-based line of the manifest text (text parsing). */
  line?: number;
  /** 1-based column, in characters, of the manifest text (text parsing). */
  column?: number;
}

/**
 * The one error type of `@nanots/tuple`: malformed binary records, malformed manifest text and
 * misuse of the API (a value that cannot be encoded, an attribute that is not a name or an
 * index). `position` says where the problem was found, when the input has positions.
 */
export class TupleError extends Error {
  /** Always `"TupleError"`. */
  override readonly name = "TupleError";
  /** Where the problem was detected, or an empty object for API misuse. */
  readonly position: TuplePosition;

  /** An error with a message that says what is wrong and where. */
  constructor(message: string, position: TuplePosition = {}) {
    super(message);
    this.position = position;
  }
}
