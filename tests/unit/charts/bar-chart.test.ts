// The geometry and the words of a horizontal bar chart.
import { barChart, CHART_WIDTH, formatValue } from '../../../src/charts/bar-chart';
import { fitText, textWidth } from '../../../src/charts/text';

describe('a bar chart', () => {
  const items = [
    { label: 'Enrolled', value: 30, href: '/students?status=enrolled', tone: 'success' as const, key: 'enrolled' },
    { label: 'Suspended', value: 15 },
    { label: 'Graduated', value: 0 },
  ];

  it('draws one bar per item, scaled to a nice axis end, in a fixed viewBox', () => {
    const chart = barChart({ items });
    expect(chart.viewBox).toBe(`0 0 ${CHART_WIDTH} ${chart.height}`);
    expect(chart.max).toBe(30);
    expect(chart.ticks.map((t) => t.value)).toEqual([0, 10, 20, 30]);
    const [a, b, c] = chart.bars;
    expect(a!.width).toBeCloseTo(a!.trackWidth);
    expect(b!.width).toBeCloseTo(a!.trackWidth / 2);
    expect(c!.width).toBe(0);
    expect(b!.y - a!.y).toBe(c!.y - b!.y);
    expect(chart.axis.y).toBeGreaterThan(c!.y + c!.height);
    expect(a!.rowY).toBeLessThan(a!.labelY - 10);
    expect(a!.rowY + a!.rowHeight).toBeGreaterThanOrEqual(a!.y + a!.height);
    expect(a!.rowY + a!.rowHeight).toBeLessThan(b!.rowY);
    expect(chart.height).toBeGreaterThan(chart.axis.y);
    expect(a).toMatchObject({ key: 'enrolled', href: '/students?status=enrolled', tone: 'success', alert: false });
    expect(b).toMatchObject({ key: '1', tone: 'primary' });
    expect(b).not.toHaveProperty('href');
  });

  it('takes a wider natural width for a full-width card', () => {
    const chart = barChart({ items, width: 1000 });
    expect(chart.viewBox).toBe(`0 0 1000 ${chart.height}`);
    expect(chart.bars[0]!.trackWidth).toBe(996);
    expect(chart.ticks.at(-1)!.x).toBe(998);
  });

  it('puts the first and last tick labels inside the chart', () => {
    const { ticks } = barChart({ items });
    expect(ticks[0]).toMatchObject({ anchor: 'start', text: '0' });
    expect(ticks.at(-1)).toMatchObject({ anchor: 'end', x: CHART_WIDTH - 2 });
    expect(ticks[1]!.anchor).toBe('middle');
  });

  it('is empty, with no bars and no axis, for no data', () => {
    const chart = barChart({ items: [] });
    expect(chart.empty).toBe(true);
    expect(chart.bars).toEqual([]);
    expect(chart.total).toBe(0);
  });

  it('gives all-zero data an axis and no bar lengths', () => {
    const chart = barChart({ items: [{ label: 'A', value: 0 }] });
    expect(chart.empty).toBe(false);
    expect(chart.ticks.map((t) => t.value)).toEqual([0, 1]);
    expect(chart.bars[0]!.width).toBe(0);
    expect(chart.bars[0]!.valueText).toBe('0');
  });

  it('fills the track with a single item', () => {
    const chart = barChart({ items: [{ label: 'Only', value: 7 }] });
    expect(chart.bars).toHaveLength(1);
    expect(chart.max).toBe(8);
    expect(chart.bars[0]!.width).toBeCloseTo((7 / 8) * chart.bars[0]!.trackWidth);
  });

  it('labels counts per locale, with each bar’s share when asked', () => {
    const chart = barChart({
      items: [
        { label: 'A', value: 1500 },
        { label: 'B', value: 500 },
      ],
      share: true,
    });
    expect(chart.bars.map((b) => b.valueText)).toEqual(['1,500 (75%)', '500 (25%)']);
    expect(chart.total).toBe(2000);
    expect(barChart({ items: [{ label: '甲', value: 12345 }], locale: 'zh-CN' }).bars[0]!.valueText).toBe('12,345');
  });

  it('draws percentages against 100%, clamps overfull bars, and keeps a caller’s own value text', () => {
    const chart = barChart({
      items: [
        { label: 'CS101-01', value: 120, alert: true, valueText: '36 / 30 · 120%' },
        { label: 'CS102-01', value: 45 },
      ],
      max: 100,
      format: 'percent',
    });
    expect(chart.ticks.map((t) => t.text)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(chart.bars[0]!.width).toBeCloseTo(chart.bars[0]!.trackWidth);
    expect(chart.bars[0]).toMatchObject({ alert: true, valueText: '36 / 30 · 120%' });
    expect(chart.bars[1]!.valueText).toBe('45%');
  });

  it('treats negative or missing values as zero', () => {
    const chart = barChart({
      items: [
        { label: 'A', value: -3 },
        { label: 'B', value: Number.NaN },
      ],
    });
    expect(chart.bars.map((b) => b.width)).toEqual([0, 0]);
    expect(chart.total).toBe(0);
  });

  it('shortens a label that would run into its value, keeping the full label', () => {
    const long = '计算机科学与技术学院人工智能与大数据研究中心计算机科学与技术学院人工智能与大数据研究中心';
    const bar = barChart({ items: [{ label: long, value: 3 }] }).bars[0]!;
    expect(bar.label).toBe(long);
    expect(bar.shownLabel.endsWith('…')).toBe(true);
    expect(bar.shownLabel.length).toBeLessThan(long.length);
    expect(barChart({ items: [{ label: 'Short', value: 3 }] }).bars[0]!.shownLabel).toBe('Short');
  });
});

describe('chart text', () => {
  it('counts wide characters as a full em', () => {
    expect(textWidth('学院', 10)).toBe(20);
    expect(textWidth('ab', 10)).toBeLessThan(20);
  });

  it('fits text with an ellipsis, or only an ellipsis when nothing fits', () => {
    expect(fitText('abcdef', 1000, 10)).toBe('abcdef');
    const fitted = fitText('abcdef', 30, 10);
    expect(fitted).toMatch(/^ab+c*d*…$/);
    expect(textWidth(fitted, 10)).toBeLessThanOrEqual(30);
    expect(fitText('abcdef', 1, 10)).toBe('…');
  });

  it('formats numbers per locale', () => {
    expect(formatValue(81.25, 'count', 'en')).toBe('81.3');
    expect(formatValue(90, 'percent', 'zh-CN')).toBe('90%');
  });
});
