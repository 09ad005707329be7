// The dashboard's charts, labelled in the reader's language: students by status and by department,
// and how full this term's fullest sections are (at least 90% full: hatched and marked).
import type { TFunction } from 'i18next';
import { barChart, type ChartTone, formatValue } from '../charts/bar-chart';
import type { Language } from '../i18n/i18n';
import { localName } from '../i18n/names';
import type { CurrentTermFill, DepartmentCount } from './dashboard.repository';

export const STATUSES = ['enrolled', 'suspended', 'graduated', 'withdrawn'] as const;
const STATUS_TONES: Record<(typeof STATUSES)[number], ChartTone> = {
  enrolled: 'success',
  suspended: 'warn',
  graduated: 'primary',
  withdrawn: 'muted',
};
export const NEARLY_FULL = 0.9;

export function dashboardCharts(
  data: {
    byStatus: Record<string, number>;
    byDepartment: { departments: DepartmentCount[]; withoutClass: number };
    sections: CurrentTermFill;
  },
  t: TFunction,
  lang: Language,
) {
  const byStatus = barChart({
    items: STATUSES.map((status) => ({
      key: status,
      label: t(`status.${status}`),
      value: data.byStatus[status] ?? 0,
      href: `/students?status=${status}`,
      tone: STATUS_TONES[status],
    })),
    locale: lang,
    share: true,
  });

  const { departments, withoutClass } = data.byDepartment;
  const byDepartment = barChart({
    items: [
      ...departments.map((d) => ({ key: d.code, label: localName(lang, d.name, d.name_en), value: d.students })),
      { key: 'none', label: t('admin.dashboard.without_class'), value: withoutClass, tone: 'muted' as const },
    ],
    locale: lang,
  });

  const fillRates = barChart({
    items: data.sections.fullest.map((s) => {
      const percent = formatValue(s.fill * 100, 'percent', lang);
      const waiting = s.waitlisted > 0 ? t('admin.dashboard.fill_waiting', { count: s.waitlisted }) : '';
      return {
        key: String(s.id),
        label: `${s.course_code}-${s.section_no} ${localName(lang, s.course_name, s.course_name_en)}`,
        value: s.fill * 100,
        href: `/sections/${s.id}`,
        tone: s.fill >= NEARLY_FULL ? ('danger' as const) : ('primary' as const),
        alert: s.fill >= NEARLY_FULL,
        valueText: t('admin.dashboard.fill_value', { enrolled: s.enrolled, capacity: s.capacity, percent }) + waiting,
      };
    }),
    max: 100,
    format: 'percent',
    locale: lang,
    width: 720,
  });

  return {
    byStatus,
    byDepartment,
    fillRates,
    nearlyFull: data.sections.fullest.filter((s) => s.fill >= NEARLY_FULL).length,
    students: byStatus.total,
  };
}
