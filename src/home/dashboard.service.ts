// What the staff and admin dashboard shows: students by status and department, this term's fullest
// sections and the latest changes.
import type { AuditLogService } from '../admin/audit-log.service';
import type { StudentsService } from '../students/students.service';
import type { DashboardRepository } from './dashboard.repository';

export class DashboardService {
  constructor(
    private readonly dashboard: DashboardRepository,
    private readonly students: StudentsService,
    private readonly auditLog: AuditLogService,
  ) {}

  async overview() {
    const [byStatus, byDepartment, sections, recent] = await Promise.all([
      this.students.countByStatus(),
      this.dashboard.studentsByDepartment(),
      this.dashboard.currentTermFill(10),
      this.auditLog.recentChanges(10),
    ]);
    return { byStatus, byDepartment, sections, recent };
  }
}
