// Checks of the self-checking programs that the emulated CPU currently fails, by program name:
// the check numbers it records (in order). The host CPU passes all of them (programs.test.ts
// proves it), so each entry is a CPU bug to fix; remove the entry with the fix. An unlisted
// failure, or a listed check that passes, fails the suite.
export const KNOWN_FAILURES: Readonly<Record<string, readonly number[]>> = {
  // 32-bit SHL/SHR/SAR/ROL/ROR/RCL/RCR by CL whose masked count is 0 (cl = 0, 32, 64) leave the
  // upper half of the 64-bit register as it was; the hardware zero-extends as for every 32-bit
  // write (flags are right: unchanged).
  "alu-flags": [
    1649, 1650, 1657, 1658, 1663, 1664, 1669, 1670, 1677, 1678, 1683, 1684, 1689, 1690, 1697,
    1698, 1703, 1704, 1709, 1710, 1717, 1718, 1723, 1724, 1729, 1730, 1737, 1738, 1743, 1744,
    1749, 1750, 1757, 1758, 1763, 1764, 1769, 1770, 1777, 1778, 1783, 1784, 1789, 1790, 1797,
    1798, 1803, 1804, 1809, 1810, 1817, 1818, 1823, 1824, 1829, 1830, 1837, 1838, 1843, 1844,
    1849, 1850, 1857, 1858, 1863, 1864, 1869, 1870, 1877, 1878, 1883, 1884, 1889, 1890, 1897,
    1898, 1903, 1904, 1909, 1910, 1917, 1918, 1923, 1924,
  ],
};
