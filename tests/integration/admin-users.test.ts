// The administrator's account pages: who may use them, linked accounts, deactivation and password resets.
import request from 'supertest';
import admin from '../../src/i18n/locales/admin.en.json';
import adminZh from '../../src/i18n/locales/admin.zh-CN.json';
import type { Role } from '../../src/users/users.types';
import { createAuditRow, createStaff, createStudent, createUser, type TestUser, uniqueTag } from '../helpers/factories';
import { type Agent, csrfToken, postForm, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const v = admin.admin.validation;
const JSON_TYPE = 'application/json';

function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#34': '"' };
  return text.replace(/&(amp|lt|gt|quot|#39|#34);/g, (_m, name: string) => entities[name]!);
}

function fieldError(html: string, name: string): string | undefined {
  const match = new RegExp(`<p class="field-error" id="f-${name}-error">([^<]*)</p>`).exec(html);
  return match ? unescapeHtml(match[1]!) : undefined;
}

/** The temporary password in the flash shown after a create or a reset. */
function flashedPassword(html: string): string | undefined {
  return /(?:Temporary password|临时密码)[:：] ?([A-Za-z0-9]+)/.exec(html)?.[1];
}

describe('admin user accounts', () => {
  let t: TestApp;
  let adminUser: TestUser;
  let adminAgent: Agent;
  const agents = {} as Record<Role, Agent>;

  const count = async (table: string) => Number((await t.db(table).count({ n: '*' }))[0]!.n);

  async function postJson(agent: Agent, path: string, body: Record<string, unknown> = {}) {
    const token = await csrfToken(agent, '/account/password');
    return agent.post(path).set('Accept', JSON_TYPE).set('X-CSRF-Token', token).send(body);
  }

  beforeAll(async () => {
    t = await buildTestApp();
    adminUser = await createUser(t.db, 'admin');
    adminAgent = await signIn(t.app, adminUser);
    agents.admin = adminAgent;
    agents.staff = await signIn(t.app, await createUser(t.db, 'staff'));
    const own = await createStudent(t.db);
    agents.student = await signIn(t.app, await createUser(t.db, 'student', { studentId: own.id }));
  });
  afterAll(() => t.close());

  describe('who may open what', () => {
    const GETS = ['/admin/users', '/admin/users/new', '/admin/users/:id'];
    const POSTS = [
      '/admin/users',
      '/admin/users/:id/deactivate',
      '/admin/users/:id/reactivate',
      '/admin/users/:id/password-reset',
    ];
    let targetId: number;
    beforeAll(async () => {
      targetId = (await createUser(t.db, 'staff')).id;
    });
    const path = (p: string) => p.replace(':id', String(targetId));

    test.each(GETS)('GET %s: anonymous to /login (401 JSON), staff and student 403, admin 200', async (p) => {
      const html = await request(t.app).get(path(p)).set('Accept', 'text/html');
      expect(html.status).toBe(302);
      expect(html.headers.location).toBe('/login');
      expect((await request(t.app).get(path(p)).set('Accept', JSON_TYPE)).status).toBe(401);
      for (const role of ['staff', 'student'] as const) {
        expect((await agents[role].get(path(p)).set('Accept', 'text/html')).status).toBe(403);
        const json = await agents[role].get(path(p)).set('Accept', JSON_TYPE);
        expect(json.status).toBe(403);
        expect(json.body.error.code).toBe('forbidden');
      }
      expect((await adminAgent.get(path(p)).set('Accept', 'text/html')).status).toBe(200);
      expect((await adminAgent.get(path(p)).set('Accept', JSON_TYPE)).status).toBe(200);
    });

    test.each(POSTS)('POST %s: anonymous refused, staff and student 403, and nothing is written', async (p) => {
      const before = { users: await count('users'), audit: await count('audit_log') };
      const target = await t.db('users').where({ id: targetId }).first();
      const body = { username: `m${uniqueTag()}`, role: 'staff', staff_no: 'T-NOBODY' };

      const anonymous = request.agent(t.app);
      const token = await csrfToken(anonymous, '/login');
      const anon = await anonymous.post(path(p)).set('Accept', JSON_TYPE).set('X-CSRF-Token', token).send(body);
      expect(anon.status).toBe(401);
      const anonHtml = await anonymous
        .post(path(p))
        .type('form')
        .send({ ...body, _csrf: token });
      expect(anonHtml.status).toBe(302);
      expect(anonHtml.headers.location).toBe('/login');
      for (const role of ['staff', 'student'] as const) {
        const json = await postJson(agents[role], path(p), body);
        expect(json.status).toBe(403);
        expect(json.body.error.code).toBe('forbidden');
        expect((await postForm(agents[role], path(p), body)).status).toBe(403);
      }
      expect({ users: await count('users'), audit: await count('audit_log') }).toEqual(before);
      expect(await t.db('users').where({ id: targetId }).first()).toEqual(target);
    });
  });

  describe('creating accounts', () => {
    it('creates a staff account linked to its staff profile, with a one-time password that must be changed', async () => {
      const profile = await createStaff(t.db);
      const username = `t.${uniqueTag()}`;
      const auditBefore = await count('audit_log');

      const res = await postJson(adminAgent, '/admin/users', { username, role: 'staff', staff_id: String(profile.id) });

      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/admin/users/${res.body.data.id}`);
      expect(res.body.data).toMatchObject({
        username,
        role: 'staff',
        staff_id: profile.id,
        must_change_password: true,
      });
      expect(res.body.data.password_hash).toBeUndefined();
      const password = res.body.data.temporary_password as string;
      expect(password).toMatch(/^[A-Za-z0-9]{14}$/);
      expect((await t.db('staff').where({ id: profile.id }).first()).user_id).toBe(res.body.data.id);
      expect((await count('audit_log')) - auditBefore).toBe(1);
      const audit = await t.db('audit_log').orderBy('id', 'desc').first();
      expect(audit).toMatchObject({ action: 'create', entity: 'user', entity_id: String(res.body.data.id) });
      expect(audit.after_json).not.toContain(password);

      // The holder signs in with it and is sent to choose their own.
      const holder = await signIn(t.app, { username, password });
      const home = await holder.get('/').set('Accept', 'text/html');
      expect(home.status).toBe(302);
      expect(home.headers.location).toBe('/account/password');
    });

    it('creates a student account linked to the student record, its password shown on the answer page only (HTML)', async () => {
      const student = await createStudent(t.db, { name: '林小雨' });
      const username = `s${uniqueTag()}`;

      const res = await postForm(adminAgent, '/admin/users', {
        username,
        role: 'student',
        student_no: student.student_no,
      });

      // The answer is the page itself, not a redirect: the password never rides in the session's flash.
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const user = await t.db('users').where({ username }).first();
      expect(user).toMatchObject({ role: 'student', student_id: student.id });
      expect(Boolean(user.must_change_password)).toBe(true);
      const password = flashedPassword(res.text);
      expect(password).toBeDefined();
      expect(res.text).toContain(`href="/admin/users/${user.id}"`);
      const account = await adminAgent.get(`/admin/users/${user.id}`).set('Accept', 'text/html');
      expect(account.text).toContain('林小雨');
      expect(flashedPassword(account.text)).toBeUndefined();

      const holder = await signIn(t.app, { username, password: password! });
      expect((await holder.get('/me').set('Accept', 'text/html')).headers.location).toBe('/account/password');
    });

    it('lists and searches accounts by username and linked name', async () => {
      const student = await createStudent(t.db, { name: '欧阳明月' });
      const username = `find.${uniqueTag()}`;
      await createUser(t.db, 'student', { studentId: student.id, username });

      const byName = await adminAgent.get('/admin/users?q=欧阳明月').set('Accept', JSON_TYPE);
      expect(byName.status).toBe(200);
      expect(byName.body.data.map((u: { username: string }) => u.username)).toEqual([username]);
      expect(byName.body.meta.total).toBe(1);

      const html = await adminAgent.get(`/admin/users?q=${username}`).set('Accept', 'text/html');
      expect(html.text).toContain(`data-user-row="${username}"`);
      // Usernames compare exactly, but a search typed in capitals still finds them (on MySQL too).
      const upper = await adminAgent.get(`/admin/users?q=${username.toUpperCase()}`).set('Accept', JSON_TYPE);
      expect(upper.body.data.map((u: { username: string }) => u.username)).toEqual([username]);
      expect(html.text).toContain('欧阳明月');
      const staffOnly = await adminAgent.get(`/admin/users?q=${username}&role=staff`).set('Accept', JSON_TYPE);
      expect(staffOnly.body.data).toEqual([]);
    });

    describe('the form names the linked person by number', () => {
      const lastAudit = () => t.db('audit_log').orderBy('id', 'desc').first();

      it('a student number links that student (not a near neighbour), typed in any case with spaces around', async () => {
        const tag = uniqueTag().toUpperCase();
        const student = await createStudent(t.db, { student_no: `K${tag}1`, name: '谢可馨' });
        // Numbers that start the same or end the same are other students.
        const neighbours = [
          await createStudent(t.db, { student_no: `K${tag}10` }),
          await createStudent(t.db, { student_no: `K${tag}` }),
        ];
        const username = `xkx${uniqueTag()}`;
        const auditBefore = await count('audit_log');

        const res = await postForm(adminAgent, '/admin/users', {
          username,
          role: 'student',
          student_no: `  k${tag.toLowerCase()}1 `,
          staff_no: 'IGNORED-FOR-A-STUDENT',
        });

        expect(res.status).toBe(201);
        const user = await t.db('users').where({ username }).first();
        expect(user).toMatchObject({ role: 'student', student_id: student.id });
        for (const other of neighbours)
          expect(await t.db('users').where({ student_id: other.id }).first()).toBeUndefined();
        // The answer page says who the account is for.
        expect(res.text).toMatch(new RegExp(`data-linked-person>[^<]*K${tag}1 谢可馨`));
        expect((await count('audit_log')) - auditBefore).toBe(1);
        const audit = await lastAudit();
        expect(audit).toMatchObject({ action: 'create', entity: 'user', entity_id: String(user.id) });
        expect(JSON.parse(audit.after_json)).toMatchObject({
          username,
          role: 'student',
          student_id: student.id,
          staff_id: null,
        });
        const page = await adminAgent.get(`/admin/users/${user.id}`).set('Accept', 'text/html');
        expect(page.text).toContain(`K${tag}1 谢可馨`);
      });

      it('a staff number links that staff profile (HTML), and JSON clients may send it too', async () => {
        const profile = await createStaff(t.db, { name: '周文博' });
        const username = `zwb${uniqueTag()}`;

        const res = await postForm(adminAgent, '/admin/users', { username, role: 'staff', staff_no: profile.staff_no });

        expect(res.status).toBe(201);
        const user = await t.db('users').where({ username }).first();
        expect((await t.db('staff').where({ id: profile.id }).first()).user_id).toBe(user.id);
        expect(res.text).toMatch(new RegExp(`data-linked-person>[^<]*${profile.staff_no} 周文博`));
        expect(JSON.parse((await lastAudit()).after_json)).toMatchObject({ staff_id: profile.id, student_id: null });

        const other = await createStaff(t.db);
        const json = await postJson(adminAgent, '/admin/users', {
          username: `j${uniqueTag()}`,
          role: 'staff',
          staff_no: other.staff_no.toLowerCase(),
        });
        expect(json.status).toBe(201);
        expect(json.body.data).toMatchObject({ staff_id: other.id, staff_no: other.staff_no, staff_name: other.name });
      });

      it('an administrator’s account takes a staff number or none', async () => {
        const profile = await createStaff(t.db);
        const linked = await postJson(adminAgent, '/admin/users', {
          username: `a${uniqueTag()}`,
          role: 'admin',
          staff_no: profile.staff_no,
        });
        expect(linked.status).toBe(201);
        expect(linked.body.data.staff_id).toBe(profile.id);
        const plain = await postForm(adminAgent, '/admin/users', {
          username: `a${uniqueTag()}`,
          role: 'admin',
          staff_no: '',
        });
        expect(plain.status).toBe(201);
      });

      it('a form refused for another reason shows whose number was typed beside it', async () => {
        const student = await createStudent(t.db, { name: '谢可馨' });
        const taken = (await createUser(t.db, 'staff')).username;

        const res = await postForm(adminAgent, '/admin/users', {
          username: taken,
          role: 'student',
          student_no: student.student_no,
        });

        expect(res.status).toBe(422);
        expect(fieldError(res.text, 'username')).toBe(v.username_taken);
        expect(fieldError(res.text, 'student_no')).toBeUndefined();
        expect(res.text).toContain(`<p class="muted" id="f-student_no-hint">${student.student_no} — 谢可馨</p>`);
        expect(await t.db('users').where({ student_id: student.id }).first()).toBeUndefined();
        // A fresh form gives the hint instead.
        const fresh = await adminAgent.get('/admin/users/new').set('Accept', 'text/html');
        expect(fresh.text).toContain(`id="f-student_no-hint">${admin.admin.users.student_no_hint}</p>`);
      });

      it('tells an unknown number in Chinese too, next to the field, and writes nothing', async () => {
        const zhAdmin = await signIn(t.app, await createUser(t.db, 'admin'));
        const before = { users: await count('users'), audit: await count('audit_log') };
        const body = { username: `zh${uniqueTag()}`, role: 'student', student_no: '2099999999' };

        const html = await postForm(zhAdmin, '/admin/users?lang=zh-CN', body);
        expect(html.status).toBe(422);
        expect(fieldError(html.text, 'student_no')).toBe(adminZh.admin.validation.student_no_unknown);
        expect(html.text).toContain(`<label for="f-student_no">${adminZh.admin.users.student_no}</label>`);
        const json = await postJson(zhAdmin, '/admin/users', body);
        expect(json.status).toBe(422);
        expect(json.body.error.fields).toEqual({ student_no: adminZh.admin.validation.student_no_unknown });

        expect({ users: await count('users'), audit: await count('audit_log') }).toEqual(before);
      });
    });

    describe('refuses bad input with a field error and writes nothing (both formats)', () => {
      interface Case {
        title: string;
        body: () => Promise<Record<string, string>>;
        field: string;
        message: string;
        /** A record id is how JSON clients may name the link; the form sends numbers only. */
        jsonOnly?: boolean;
      }
      const archivedStudent = async () => {
        const s = await createStudent(t.db);
        await t.db('students').where({ id: s.id }).update({ deleted_at: '2026-01-01 00:00:00' });
        return s;
      };
      const CASES: Case[] = [
        {
          title: 'a username already taken',
          body: async () => ({ username: (await createUser(t.db, 'staff')).username, role: 'admin' }),
          field: 'username',
          message: v.username_taken,
        },
        {
          title: 'a username taken in other letter case',
          body: async () => ({ username: (await createUser(t.db, 'staff')).username.toUpperCase(), role: 'admin' }),
          field: 'username',
          message: v.username_taken,
        },
        {
          title: 'a student number whose student already has an account',
          body: async () => {
            const s = await createStudent(t.db);
            await createUser(t.db, 'student', { studentId: s.id });
            return { username: `n${uniqueTag()}`, role: 'student', student_no: s.student_no };
          },
          field: 'student_no',
          message: v.student_taken,
        },
        {
          title: 'a student id whose student already has an account',
          body: async () => {
            const s = await createStudent(t.db);
            await createUser(t.db, 'student', { studentId: s.id });
            return { username: `n${uniqueTag()}`, role: 'student', student_id: String(s.id) };
          },
          field: 'student_id',
          message: v.student_taken,
          jsonOnly: true,
        },
        {
          title: 'a staff number whose profile already has an account',
          body: async () => {
            const owner = await createUser(t.db, 'staff');
            const p = await createStaff(t.db, { user_id: owner.id });
            return { username: `n${uniqueTag()}`, role: 'staff', staff_no: p.staff_no };
          },
          field: 'staff_no',
          message: v.staff_taken,
        },
        {
          title: 'a staff id whose profile already has an account',
          body: async () => {
            const owner = await createUser(t.db, 'staff');
            const p = await createStaff(t.db, { user_id: owner.id });
            return { username: `n${uniqueTag()}`, role: 'staff', staff_id: String(p.id) };
          },
          field: 'staff_id',
          message: v.staff_taken,
          jsonOnly: true,
        },
        {
          title: 'a staff account without a staff number',
          body: async () => ({ username: `n${uniqueTag()}`, role: 'staff', staff_no: '' }),
          field: 'staff_no',
          message: v.staff_required,
        },
        {
          title: 'a staff account given only a student number',
          body: async () => ({
            username: `n${uniqueTag()}`,
            role: 'staff',
            student_no: (await createStudent(t.db)).student_no,
          }),
          field: 'staff_no',
          message: v.staff_required,
        },
        {
          title: 'a student account without a student number',
          body: async () => ({ username: `n${uniqueTag()}`, role: 'student', student_no: '  ' }),
          field: 'student_no',
          message: v.student_required,
        },
        {
          title: 'an unknown student number',
          body: async () => ({ username: `n${uniqueTag()}`, role: 'student', student_no: 'NO-SUCH-STUDENT' }),
          field: 'student_no',
          message: v.student_no_unknown,
        },
        {
          title: 'an unknown student id',
          body: async () => ({ username: `n${uniqueTag()}`, role: 'student', student_id: '999999' }),
          field: 'student_id',
          message: v.student_unknown,
          jsonOnly: true,
        },
        {
          title: 'an archived student’s number',
          body: async () => ({
            username: `n${uniqueTag()}`,
            role: 'student',
            student_no: (await archivedStudent()).student_no,
          }),
          field: 'student_no',
          message: v.student_archived,
        },
        {
          title: 'an archived student’s id',
          body: async () => ({
            username: `n${uniqueTag()}`,
            role: 'student',
            student_id: String((await archivedStudent()).id),
          }),
          field: 'student_id',
          message: v.student_archived,
          jsonOnly: true,
        },
        {
          title: 'a student named both by number and by id',
          body: async () => {
            const s = await createStudent(t.db);
            return { username: `n${uniqueTag()}`, role: 'student', student_no: s.student_no, student_id: String(s.id) };
          },
          field: 'student_no',
          message: v.student_one_way,
          jsonOnly: true,
        },
        {
          title: 'an unknown staff number',
          body: async () => ({ username: `n${uniqueTag()}`, role: 'staff', staff_no: 'NO-SUCH-STAFF' }),
          field: 'staff_no',
          message: v.staff_no_unknown,
        },
        {
          title: 'an unknown staff number on an administrator’s account',
          body: async () => ({ username: `n${uniqueTag()}`, role: 'admin', staff_no: 'NO-SUCH-STAFF' }),
          field: 'staff_no',
          message: v.staff_no_unknown,
        },
        {
          title: 'an unknown staff id',
          body: async () => ({ username: `n${uniqueTag()}`, role: 'staff', staff_id: '999999' }),
          field: 'staff_id',
          message: v.staff_unknown,
          jsonOnly: true,
        },
        {
          title: 'an archived staff profile’s number',
          body: async () => {
            const p = await createStaff(t.db);
            await t.db('staff').where({ id: p.id }).update({ deleted_at: '2026-01-01 00:00:00' });
            return { username: `n${uniqueTag()}`, role: 'staff', staff_no: p.staff_no };
          },
          field: 'staff_no',
          message: v.staff_archived,
        },
        {
          title: 'a username with spaces',
          body: async () => ({ username: 'two words', role: 'admin' }),
          field: 'username',
          message: v.username_format,
        },
        {
          title: 'an unknown role',
          body: async () => ({ username: `n${uniqueTag()}`, role: 'root' }),
          field: 'role',
          message: v.role,
        },
      ];

      test.each(CASES)('$title', async ({ body, field, message, jsonOnly }) => {
        const sent = await body();
        const before = {
          users: await count('users'),
          audit: await count('audit_log'),
          linked: await t.db('staff').whereNotNull('user_id').count({ n: '*' }),
        };

        if (!jsonOnly) {
          const html = await postForm(adminAgent, '/admin/users', sent);
          expect(html.status).toBe(422);
          // Next to its field, and the typed values kept.
          expect(fieldError(html.text, field)).toBe(message);
          for (const kept of ['student_no', 'staff_no'] as const)
            if (sent[kept]?.trim()) expect(html.text).toContain(`name="${kept}" type="text" value="${sent[kept]}"`);
        }
        const json = await postJson(adminAgent, '/admin/users', sent);
        expect(json.status).toBe(422);
        expect(json.body.error.code).toBe('validation_failed');
        expect(json.body.error.fields[field]).toBe(message);

        expect({
          users: await count('users'),
          audit: await count('audit_log'),
          linked: await t.db('staff').whereNotNull('user_id').count({ n: '*' }),
        }).toEqual(before);
      });
    });
  });

  describe('deactivation', () => {
    it('ends a signed-in user’s access on their next request, and reactivation lets them back', async () => {
      const user = await createUser(t.db, 'staff');
      const agent = await signIn(t.app, user);
      expect((await agent.get('/students').set('Accept', 'text/html')).status).toBe(200);

      const res = await postJson(adminAgent, `/admin/users/${user.id}/deactivate`);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id: user.id, active: false });

      const next = await agent.get('/students').set('Accept', 'text/html');
      expect(next.status).toBe(302);
      expect(next.headers.location).toBe('/login');
      expect((await agent.get('/students').set('Accept', JSON_TYPE)).status).toBe(401);
      await expect(signIn(t.app, user)).rejects.toThrow(/failed with 401/);
      const audit = await t
        .db('audit_log')
        .where({ entity: 'user', entity_id: String(user.id) })
        .orderBy('id', 'desc')
        .first();
      expect(audit.action).toBe('deactivate');
      expect(JSON.parse(audit.before_json).active).toBe(true);
      expect(JSON.parse(audit.after_json).active).toBe(false);

      // Twice changes nothing and says so.
      const auditCount = await count('audit_log');
      const again = await postForm(adminAgent, `/admin/users/${user.id}/deactivate`, {});
      expect(again.status).toBe(302);
      expect((await adminAgent.get(String(again.headers.location)).set('Accept', 'text/html')).text).toContain(
        'was already deactivated',
      );
      expect(await count('audit_log')).toBe(auditCount);

      const back = await postForm(adminAgent, `/admin/users/${user.id}/reactivate`, {});
      expect(back.status).toBe(302);
      expect(back.headers.location).toBe(`/admin/users/${user.id}`);
      const relogged = await signIn(t.app, user);
      expect((await relogged.get('/students').set('Accept', 'text/html')).status).toBe(200);
    });

    it('refuses an admin deactivating their own account', async () => {
      const auditCount = await count('audit_log');
      const json = await postJson(adminAgent, `/admin/users/${adminUser.id}/deactivate`);
      expect(json.status).toBe(409);
      expect(json.body.error).toMatchObject({
        code: 'self_deactivation',
        message: admin.admin.users.cannot_deactivate_self,
      });
      const html = await postForm(adminAgent, `/admin/users/${adminUser.id}/deactivate`, {});
      expect(html.status).toBe(409);
      expect(html.text).toContain(admin.admin.users.cannot_deactivate_self);
      expect(Boolean((await t.db('users').where({ id: adminUser.id }).first()).active)).toBe(true);
      expect(await count('audit_log')).toBe(auditCount);
      expect((await adminAgent.get('/admin/users').set('Accept', 'text/html')).status).toBe(200);
    });

    it('answers 404 for an unknown account', async () => {
      expect((await postJson(adminAgent, '/admin/users/999999/deactivate')).status).toBe(404);
      expect((await adminAgent.get('/admin/users/abc').set('Accept', JSON_TYPE)).status).toBe(404);
    });
  });

  describe('password reset', () => {
    it('gives a temporary password once, the old one stops working, and a change is forced', async () => {
      const user = await createUser(t.db, 'student', { studentId: (await createStudent(t.db)).id });
      const auditCount = await count('audit_log');

      const res = await postJson(adminAgent, `/admin/users/${user.id}/password-reset`);

      expect(res.status).toBe(200);
      expect(res.body.data.must_change_password).toBe(true);
      const password = res.body.data.temporary_password as string;
      expect(password).toMatch(/^[A-Za-z0-9]{14}$/);
      expect((await count('audit_log')) - auditCount).toBe(1);
      const audit = await t.db('audit_log').orderBy('id', 'desc').first();
      expect(audit).toMatchObject({ action: 'password_reset', entity: 'user', entity_id: String(user.id) });
      expect(`${audit.before_json}${audit.after_json}`).not.toContain(password);

      await expect(signIn(t.app, user)).rejects.toThrow(/failed with 401/);
      const holder = await signIn(t.app, { username: user.username, password });
      expect((await holder.get('/me').set('Accept', 'text/html')).headers.location).toBe('/account/password');
      const json = await holder.get('/me').set('Accept', JSON_TYPE);
      expect(json.status).toBe(403);
      expect(json.body.error.code).toBe('password_change_required');

      const changed = await postForm(holder, '/account/password', {
        current_password: password,
        new_password: 'a-brand-new-password',
        confirm_password: 'a-brand-new-password',
      });
      expect(changed.status).toBe(302);
      expect((await holder.get('/me').set('Accept', 'text/html')).status).toBe(200);
    });

    it('shows the temporary password on the answer page once: not in a flash, not in a replay', async () => {
      const user = await createUser(t.db, 'staff');
      const res = await postForm(adminAgent, `/admin/users/${user.id}/password-reset`, { _idem: 'reset-once-0001' });
      expect(res.status).toBe(200);
      const password = flashedPassword(res.text);
      expect(password).toBeDefined();
      // The next page carries no flash with it, and the same form sent again (a reload) does not show it.
      const next = await adminAgent.get(`/admin/users/${user.id}`).set('Accept', 'text/html');
      expect(flashedPassword(next.text)).toBeUndefined();
      const reload = await postForm(adminAgent, `/admin/users/${user.id}/password-reset`, { _idem: 'reset-once-0001' });
      expect(reload.status).toBe(302);
      const replayed = await adminAgent.get(String(reload.headers.location)).set('Accept', 'text/html');
      expect(replayed.text).not.toContain(password);
      await signIn(t.app, { username: user.username, password: password! });
    });
  });

  it('keeps a before/after history on the account page', async () => {
    const user = await createUser(t.db, 'staff');
    await createAuditRow(t.db, {
      entity: 'user',
      entityId: String(user.id),
      action: 'deactivate',
      actor: 'history-actor',
    });
    const page = await adminAgent.get(`/admin/users/${user.id}`).set('Accept', 'text/html');
    expect(page.text).toContain('history-actor');
    expect(page.text).toContain('Deactivated');
  });
});

describe('the temporary password is never stored', () => {
  it('is absent from the idempotency record, and a replay does not reveal it', async () => {
    const t = await buildTestApp();
    try {
      const adminAgent = await signIn(t.app, await createUser(t.db, 'admin'));
      const token = await csrfToken(adminAgent, '/admin/users');
      const target = await createUser(t.db, 'staff');
      const reset = () =>
        adminAgent
          .post(`/admin/users/${target.id}/password-reset`)
          .set('Accept', 'application/json')
          .set('X-CSRF-Token', token)
          .set('Idempotency-Key', 'reset-key-000001')
          .send({});
      const first = await reset();
      expect(first.status).toBe(200);
      const password = first.body.data.temporary_password as string;
      expect(password).toMatch(/\S{10,}/);
      const stored = await t.db('idempotency_keys').where({ idem_key: 'reset-key-000001' }).first();
      expect(stored.body_json).not.toContain(password);
      const replay = await reset();
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.data.temporary_password).toBeNull();
    } finally {
      await t.close();
    }
  });
});
