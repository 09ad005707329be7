export const ROLES = ['admin', 'staff', 'student'] as const;
export type Role = (typeof ROLES)[number];

/** What the rest of the app knows about the signed-in user (never the password hash). */
export interface CurrentUser {
  id: number;
  username: string;
  role: Role;
  studentId: number | null;
  mustChangePassword: boolean;
}
