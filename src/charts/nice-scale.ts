// An axis that ends on a round number with a few round steps (0, 5, 10, 15 rather than 0, 4.6, 9.2, 13.8).

export interface NiceScale {
  max: number;
  step: number;
  ticks: number[];
}

/** Steps of 1, 2, 2.5 or 5 times a power of ten, about `target` of them; `integer` keeps steps whole (counts). */
export function niceScale(maxValue: number, options: { target?: number; integer?: boolean } = {}): NiceScale {
  const { target = 4, integer = false } = options;
  const top = Number.isFinite(maxValue) && maxValue > 0 ? maxValue : 1;
  const raw = top / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  // 2.5 only where it stays whole for counts (25, 250), never 2.5 people.
  const quarter = !integer || magnitude >= 10;
  const factor = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 && quarter ? 2.5 : residual <= 5 ? 5 : 10;
  let step = factor * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const count = Math.ceil(clean(top / step));
  const ticks = Array.from({ length: count + 1 }, (_, i) => clean(i * step));
  return { max: ticks[ticks.length - 1]!, step, ticks };
}

/** Drops floating-point dust: 0.30000000000000004 becomes 0.3. */
const clean = (n: number) => Number(n.toPrecision(12));
