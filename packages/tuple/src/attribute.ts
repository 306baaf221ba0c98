import { intern, Sym } from "./symbol.js";
import { TupleError } from "./tuple-error.js";
import { U64_MAX, type Attribute } from "./value.js";

/**
 * The symbol an attribute names (Nanos `sym_from_attribute`): a name is interned, a
 * non-negative integer becomes the symbol of its decimal form.
 *
 * @throws {@link TupleError} for a negative, fractional or too large number.
 */
export function toSymbol(attribute: Attribute): Sym {
  if (attribute instanceof Sym) return attribute;
  if (typeof attribute === "string") return intern(attribute);
  if (typeof attribute === "number" ? Number.isSafeInteger(attribute) && attribute >= 0 : attribute >= 0n && attribute <= U64_MAX) {
    return intern(attribute.toString());
  }
  throw new TupleError(`attribute ${String(attribute)} is not a name or an unsigned integer`);
}
