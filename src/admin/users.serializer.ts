import type { UserListRow } from '../users/users.repository';

/** The JSON shape of an account for the admin pages: links included, the password hash never. */
export function toUserJson(row: UserListRow) {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    active: Boolean(row.active),
    must_change_password: Boolean(row.must_change_password),
    student_id: row.student_id,
    student_no: row.student_no,
    student_name: row.student_name,
    staff_id: row.staff_id,
    staff_no: row.staff_no,
    staff_name: row.staff_name,
    last_login_at: row.last_login_at,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
