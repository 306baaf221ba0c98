/**
 * The split ring's 16-bit "need event" test (spec §2.7.10, `vring_need_event`): true when
 * `eventIdx` lies in the window of indices `(oldIdx, newIdx]` that was just published, so the
 * other side asked to be told. All three are free-running u16 indices; the test is correct
 * across the wrap at 65536.
 */
export function needEvent(eventIdx: number, newIdx: number, oldIdx: number): boolean {
  return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
}
