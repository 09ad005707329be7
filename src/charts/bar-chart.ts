// Horizontal bar charts drawn on the server: data in, SVG geometry out. The view only draws what this
// returns, in a fixed viewBox, so a chart needs no script and prints as it is shown.
import { numberFormat } from '../i18n/format';
import { niceScale } from './nice-scale';
import { fitText, textWidth } from './text';

export type ChartTone = 'primary' | 'success' | 'warn' | 'danger' | 'muted';
export type ValueFormat = 'count' | 'percent';

export interface BarItem {
  label: string;
  value: number;
  href?: string;
  tone?: ChartTone;
  /** Shown instead of the formatted value, e.g. "28 / 30 · 93%". */
  valueText?: string;
  /** Needs attention (e.g. a section at least 90% full): hatched, so it stands out without colour too. */
  alert?: boolean;
  /** Echoed as a data attribute, so tests and scripts can find a bar. */
  key?: string;
}

export interface BarChartOptions {
  items: BarItem[];
  /** The axis end; by default the largest value rounded up to a nice step. */
  max?: number;
  /** `percent`: values are percentage points (0-100). */
  format?: ValueFormat;
  locale?: string;
  /** Counts also show each bar's share of the total, e.g. "1,200 (62%)". */
  share?: boolean;
  /** The natural width in CSS pixels (the page shrinks, never enlarges, a chart): wider for a full-width card. */
  width?: number;
}

export interface Bar {
  key: string;
  label: string;
  /** The label as drawn: shortened with an ellipsis when it does not fit. */
  shownLabel: string;
  value: number;
  valueText: string;
  href?: string;
  tone: ChartTone;
  alert: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
  trackWidth: number;
  /** The whole row (label, value and bar): where a link on the bar can be hit. */
  rowY: number;
  rowHeight: number;
  labelY: number;
  valueX: number;
}

export interface Tick {
  value: number;
  text: string;
  x: number;
  anchor: 'start' | 'middle' | 'end';
}

export interface BarChartModel {
  width: number;
  height: number;
  viewBox: string;
  bars: Bar[];
  ticks: Tick[];
  axis: { y: number; top: number; labelY: number };
  max: number;
  total: number;
  empty: boolean;
}

export const CHART_WIDTH = 480;
export const FONT_SIZE = 14;
const PAD_X = 2;
const PAD_TOP = 4;
const ROW = 46;
const LABEL_BASELINE = 15;
const BAR_OFFSET = 22;
const BAR_HEIGHT = 14;
const AXIS_GAP = 4;
const AXIS_LABELS = 18;
const GAP = 12;

export function formatValue(value: number, format: ValueFormat, locale: string): string {
  if (format === 'percent')
    return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value / 100);
  return numberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

export function barChart(options: BarChartOptions): BarChartModel {
  const { items, format = 'count', locale = 'en', share = false, width = CHART_WIDTH } = options;
  const values = items.map((i) => (Number.isFinite(i.value) && i.value > 0 ? i.value : 0));
  const total = values.reduce((a, b) => a + b, 0);
  const scale = niceScale(options.max ?? Math.max(0, ...values), { integer: format === 'count' });
  const plotX = PAD_X;
  const plotWidth = width - 2 * PAD_X;
  const at = (v: number) => plotX + (Math.min(v, scale.max) / scale.max) * plotWidth;
  const percent = (v: number) => formatValue(total > 0 ? (v / total) * 100 : 0, 'percent', locale);

  const bars = items.map((item, i): Bar => {
    const value = values[i]!;
    const top = PAD_TOP + i * ROW;
    const valueText =
      item.valueText ??
      (share ? `${formatValue(value, format, locale)} (${percent(value)})` : formatValue(value, format, locale));
    const room = plotWidth - textWidth(valueText, FONT_SIZE) - GAP;
    return {
      key: item.key ?? String(i),
      label: item.label,
      shownLabel: fitText(item.label, room, FONT_SIZE),
      value,
      valueText,
      ...(item.href ? { href: item.href } : {}),
      tone: item.tone ?? 'primary',
      alert: item.alert ?? false,
      x: plotX,
      y: top + BAR_OFFSET,
      width: round(at(value) - plotX),
      height: BAR_HEIGHT,
      trackWidth: plotWidth,
      rowY: top,
      rowHeight: BAR_OFFSET + BAR_HEIGHT + 2,
      labelY: top + LABEL_BASELINE,
      valueX: plotX + plotWidth,
    };
  });

  const axisY = PAD_TOP + items.length * ROW + AXIS_GAP;
  const ticks = scale.ticks.map((value, i, all): Tick => ({
    value,
    text: formatValue(value, format, locale),
    x: round(at(value)),
    anchor: i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle',
  }));
  const height = axisY + AXIS_LABELS;
  return {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    bars,
    ticks,
    axis: { y: axisY, top: PAD_TOP + BAR_OFFSET - 4, labelY: axisY + AXIS_LABELS - 3 },
    max: scale.max,
    total,
    empty: items.length === 0,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
