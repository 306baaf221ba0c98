import { findSymbol, intern, Sym } from "./symbol.js";
import { TupleError } from "./tuple-error.js";
import { U64_MAX, type Attribute } from "./value.js";

/**
 * The symbol an attribute names (Nanos `sym_from_attribute`): a name is interned, a
 * non-negative integer becomes the symbol of its decimal form.
 *
 * @throws {@link TupleError} for a negative, fractional or too large number.
 */
export function toSymbol(attribute: Attribute): Sym {
  return attribute instanceof Sym ? attribute : intern(attributeName(attribute));
}

/**
 * Like {@link toSymbol}, but only finds an existing symbol (`undefined` if the name was never
 * interned, in which case no tuple can hold it): for lookups, which must not intern.
 */
export function findAttributeSymbol(attribute: Attribute): Sym | undefined {
  return attribute instanceof Sym ? attribute : findSymbol(attributeName(attribute));
}

function attributeName(attribute: string | number | bigint): string {
  if (typeof attribute === "string") return attribute;
  if (typeof attribute === "number" ? Number.isSafeInteger(attribute) && attribute >= 0 : attribute >= 0n && attribute <= U64_MAX) {
    return attribute.toString();
  }
  throw new TupleError(`attribute ${String(attribute)} is not a name or an unsigned integer`);
}
