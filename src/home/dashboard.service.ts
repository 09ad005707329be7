// What the staff and admin dashboard shows: students by status and department, this term's fullest
// sections and the latest changes.
import type { AuditLogService } from '../admin/audit-log.service';
import type { Language } from '../i18n/i18n';
import type { StudentsService } from '../students/students.service';
import type { TermRef } from '../terms/terms.repository';
import type { DashboardRepository } from './dashboard.repository';

export class DashboardService {
  constructor(
    private readonly dashboard: DashboardRepository,
    private readonly students: StudentsService,
    private readonly auditLog: AuditLogService,
    private readonly terms: { current(): Promise<TermRef | undefined> },
  ) {}

  /** `lang`: the recent changes are read in the page's language. */
  async overview(lang: Language) {
    const [byStatus, byDepartment, sections, recent] = await Promise.all([
      this.students.countByStatus(),
      this.dashboard.studentsByDepartment(),
      this.currentTermFill(),
      this.auditLog.recentChanges(lang, 10),
    ]);
    return { byStatus, byDepartment, sections, recent };
  }

  private async currentTermFill() {
    const term = await this.terms.current();
    if (!term) return { term: null, sections: 0, seats: 0, enrolled: 0, fullest: [] };
    return this.dashboard.termFill(term, 10);
  }
}
