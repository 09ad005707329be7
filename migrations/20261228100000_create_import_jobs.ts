// Imports run as background jobs that any node may pick up (issue 12): each is a row here with its state,
// progress and report, and its uploaded file is kept in chunks beside it, so that whichever node runs the
// job reads the same bytes (a pod's disk is its own). The chunks go once the job no longer needs them.
import type { Knex } from 'knex';
import { largeText, tableDefaults } from '../src/db/schema';

export async function up(knex: Knex): Promise<void> {
  const mysql = knex.client.config.client === 'mysql2';
  await knex.schema.createTable('import_jobs', (t) => {
    tableDefaults(knex, t);
    t.increments('id');
    t.string('kind', 16).notNullable(); // students | grades
    t.string('mode', 16).notNullable(); // dry_run | commit
    t.integer('section_id').unsigned().nullable();
    t.string('status', 16).notNullable(); // queued | running | succeeded | failed
    t.integer('owner_user_id').unsigned().notNullable();
    t.string('owner_username', 64).notNullable(); // the audit rows the job writes name who imported
    t.string('lang', 8).notNullable();
    t.string('file_name', 255).notNullable();
    t.integer('file_size').unsigned().notNullable();
    t.integer('progress_done').unsigned().notNullable().defaultTo(0);
    t.integer('progress_total').unsigned().notNullable().defaultTo(0);
    t.integer('count_created').unsigned().notNullable().defaultTo(0);
    t.integer('count_updated').unsigned().notNullable().defaultTo(0);
    t.integer('count_unchanged').unsigned().notNullable().defaultTo(0);
    largeText(t, 'errors_json').nullable();
    t.string('message', 500).nullable(); // a whole-file refusal (not a spreadsheet, a column missing, ...)
    t.integer('attempts').unsigned().notNullable().defaultTo(0);
    t.string('node_id', 64).nullable();
    t.integer('source_job_id').unsigned().nullable(); // a commit made from a clean dry run's file
    t.dateTime('created_at').notNullable();
    t.dateTime('started_at').nullable();
    t.dateTime('finished_at').nullable();

    t.index(['owner_user_id', 'id'], 'import_jobs_owner_index');
    t.index(['status', 'id'], 'import_jobs_status_index');
  });
  await knex.schema.createTable('import_job_chunks', (t) => {
    tableDefaults(knex, t);
    t.integer('job_id').unsigned().notNullable();
    t.integer('seq').unsigned().notNullable();
    // MEDIUMBLOB on MySQL (BLOB stops at 64 KB); chunks stay well under MySQL 5.7's 4 MB max_allowed_packet.
    t.specificType('data', mysql ? 'mediumblob' : 'blob').notNullable();
    t.primary(['job_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_job_chunks');
  await knex.schema.dropTable('import_jobs');
}
