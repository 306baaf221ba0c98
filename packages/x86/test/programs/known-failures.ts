// Checks of the self-checking programs that the emulated CPU currently fails, by program name:
// the check numbers it records (in order). The host CPU passes all of them (programs.test.ts
// proves it), so each entry is a CPU bug to fix; remove the entry with the fix. An unlisted
// failure, or a listed check that passes, fails the suite.
export const KNOWN_FAILURES: Readonly<Record<string, readonly number[]>> = {};
