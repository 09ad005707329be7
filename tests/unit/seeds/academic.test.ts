import { CLASS_SIZE, classSizes } from '../../../seeds/academic';
import { entryYears } from '../../../seeds/demo';
import { random } from '../../../seeds/random';

const within = (sizes: number[]) => sizes.every((n) => n >= CLASS_SIZE.min && n <= CLASS_SIZE.max);
const sum = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0);

describe('demo class sizes', () => {
  it('holds every student in as few classes of 30 to 40 as the count allows', () => {
    expect(classSizes(200)).toEqual([40, 40, 40, 40, 40]);
    expect(classSizes(60)).toEqual([30, 30]);
    expect(classSizes(95)).toEqual([32, 32, 31]);
    for (const n of [30, 40, 60, 80, 90, 121, 2500, 100_000]) {
      expect(sum(classSizes(n))).toBe(n);
      expect(within(classSizes(n))).toBe(true);
    }
  });

  it('still places everyone when the count cannot be split so (a tiny seed)', () => {
    expect(classSizes(0)).toEqual([]);
    expect(classSizes(10)).toEqual([10]);
    expect(sum(classSizes(50))).toBe(50);
  });

  it("draws entry years so that each year's students fill classes of 30 to 40, the years mixed", () => {
    for (const n of [60, 200, 999, 2500]) {
      const years = entryYears(n, random(n));
      expect(years).toHaveLength(n);
      const perYear = new Map<number, number>();
      for (const y of years) perYear.set(y, (perYear.get(y) ?? 0) + 1);
      for (const count of perYear.values()) expect(within(classSizes(count))).toBe(true);
      expect(Math.min(...years)).toBeGreaterThanOrEqual(2021);
      expect(Math.max(...years)).toBe(2025);
    }
    const mixed = entryYears(200, random(1)).slice(0, 40);
    expect(new Set(mixed).size).toBeGreaterThan(1);
  });
});
