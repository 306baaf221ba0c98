/** Condition-code suffixes in encoding order (cc 0–15), as in jcc, setcc and cmovcc. */
export const CONDITION_NAMES = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"] as const;
