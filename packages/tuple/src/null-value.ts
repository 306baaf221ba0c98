/**
 * The type of {@link NULL_VALUE}. There is exactly one instance.
 */
export class NullValue {
  /** The one instance, also exported as {@link NULL_VALUE}. */
  static readonly instance = new NullValue();
  private constructor() {}
  /** Prints as Nanos does. */
  toString(): string {
    return "<null>";
  }
}

/**
 * The Nanos `null_value`: a present attribute with no content, used as a flag (`readonly`,
 * `uninited`, `no_encode`). Distinct from *absent* (`undefined`), which deletes an attribute.
 * Encoded as `81 00`; printed as `<null>`.
 */
export const NULL_VALUE: NullValue = NullValue.instance;
