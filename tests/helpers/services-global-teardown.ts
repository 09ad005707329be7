// Services run, once after every file: drops the template database the global set-up made.
import { mysqlAdmin, TEMPLATE_DB_ENV } from './test-db';

export default async function servicesGlobalTeardown(): Promise<void> {
  const name = process.env[TEMPLATE_DB_ENV];
  if (!name) return;
  const admin = mysqlAdmin();
  try {
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    delete process.env[TEMPLATE_DB_ENV];
  } finally {
    await admin.destroy();
  }
}
