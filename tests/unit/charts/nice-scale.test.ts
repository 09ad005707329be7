// Axis ends and steps fall on round numbers.
import { niceScale } from '../../../src/charts/nice-scale';

describe('nice axis steps', () => {
  it.each([
    [3, true, [0, 1, 2, 3]],
    [7, true, [0, 2, 4, 6, 8]],
    [30, true, [0, 10, 20, 30]],
    [87, true, [0, 25, 50, 75, 100]],
    [1234, true, [0, 500, 1000, 1500]],
    [100, false, [0, 25, 50, 75, 100]],
    [0.9, false, [0, 0.25, 0.5, 0.75, 1]],
  ])('a largest value of %p (whole steps: %p) gives ticks %p', (max, integer, ticks) => {
    const scale = niceScale(max as number, { integer: integer as boolean });
    expect(scale.ticks).toEqual(ticks);
    expect(scale.max).toBe((ticks as number[]).at(-1));
  });

  it('never steps by a fraction of a person', () => {
    expect(niceScale(2, { integer: true }).ticks).toEqual([0, 1, 2]);
    expect(niceScale(1, { integer: true }).ticks).toEqual([0, 1]);
    expect(niceScale(9, { integer: true }).step).toBe(5);
  });

  it('gives a usable axis for nothing at all', () => {
    expect(niceScale(0, { integer: true }).ticks).toEqual([0, 1]);
    expect(niceScale(Number.NaN).max).toBeGreaterThan(0);
  });

  it('leaves no floating-point dust in the ticks', () => {
    expect(niceScale(0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });
});
