/**
 * A device number as `st_rdev`/`st_dev` hold it: glibc's `makedev(major, minor)` for 12-bit
 * majors and 20-bit minors (the low minor byte, the major, then the high minor bits).
 */
export function makedev(major: number, minor: number): number {
  return (((major & 0xfff) << 8) | (minor & 0xff) | ((minor & 0xfff00) << 12)) >>> 0;
}
