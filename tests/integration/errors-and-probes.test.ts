import request from 'supertest';
import en from '../../src/i18n/locales/en.json';
import zhCN from '../../src/i18n/locales/zh-CN.json';
import { createStudent, createUser, type TestUser } from '../helpers/factories';
import { type Agent, csrfToken, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'p'.repeat(20) + 'q'.repeat(20),
  DEMO_PASSWORD: 'another-password-123',
};

/** The request id printed on an error page. */
function pageRequestId(html: string): string | undefined {
  return /<code data-request-id>([^<]*)<\/code>/.exec(html)?.[1];
}

describe('errors, headers, probes and language', () => {
  let t: TestApp;
  let staff: TestUser;
  let agent: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    staff = await createUser(t.db, 'staff');
    agent = await signIn(t.app, staff);
  });
  afterAll(() => t.close());

  describe('an unknown record', () => {
    it('gives a 404 page with the request id', async () => {
      const res = await agent.get('/students/987654').set('X-Request-Id', 'lb-404-check');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain(`404 · ${en.errors.title['404']}`);
      expect(res.text).toContain(en.students.not_found);
      expect(pageRequestId(res.text)).toBe('lb-404-check');
      expect(res.headers['x-request-id']).toBe('lb-404-check');
    });

    it('gives a JSON 404 with code not_found', async () => {
      const res = await agent.get('/students/987654').set('Accept', 'application/json');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: 'not_found', message: en.students.not_found, requestId: res.headers['x-request-id'] },
      });
    });

    test.each(['abc', '12abc', '-1', '0', '1.5', '1e3', '99999999999', '%20'])(
      'treats the id %s as unknown: 404, never a 500',
      async (id) => {
        const html = await agent.get(`/students/${id}`);
        expect(html.status).toBe(404);
        expect(html.text).toContain(en.students.not_found);
        const json = await agent.get(`/students/${id}`).set('Accept', 'application/json');
        expect(json.status).toBe(404);
        expect(json.body.error.code).toBe('not_found');
      },
    );

    it('gives 404 for the edit page and the writes of a non-numeric or unknown id', async () => {
      const token = await csrfToken(agent, '/students');
      expect((await agent.get('/students/abc/edit')).status).toBe(404);
      expect((await agent.get('/students/987654/edit')).status).toBe(404);
      for (const path of ['/students/abc', '/students/987654', '/students/abc/delete', '/students/987654/delete']) {
        const res = await agent
          .post(path)
          .set('Accept', 'application/json')
          .set('X-CSRF-Token', token)
          .send({ student_no: 'NOPE-1', name: 'Nobody', gender: 'male', enrolment_year: 2024, version: 1 });
        expect({ path, status: res.status, code: res.body.error?.code }).toEqual({
          path,
          status: 404,
          code: 'not_found',
        });
      }
    });

    it('gives 404 for an unknown path, in HTML and JSON', async () => {
      const html = await request(t.app).get('/no/such/page');
      expect(html.status).toBe(404);
      expect(html.text).toContain(en.errors.not_found);
      const json = await request(t.app).get('/no/such/page').set('Accept', 'application/json');
      expect(json.status).toBe(404);
      expect(json.body.error).toMatchObject({ code: 'not_found', message: en.errors.not_found });
    });

    it('still opens a record that exists (the 404s are not a broken route)', async () => {
      const student = await createStudent(t.db);
      const res = await agent.get(`/students/${student.id}`).set('Accept', 'application/json');
      expect(res.status).toBe(200);
      expect(res.body.data.student_no).toBe(student.student_no);
    });
  });

  describe('request bodies', () => {
    it('refuses a JSON body over 100kb with 413', async () => {
      const res = await request(t.app)
        .post('/students')
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(110 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(res.body.error.message).toBe(en.errors.too_large);
    });

    it('refuses a form body over 100kb with a 413 page', async () => {
      const res = await request(t.app)
        .post('/students')
        .type('form')
        .send(`name=${'x'.repeat(110 * 1024)}`);
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain(`413 · ${en.errors.title['413']}`);
      expect(pageRequestId(res.text)).toBe(res.headers['x-request-id']);
    });

    it('says it in the language of the Accept-Language header even before the session is read', async () => {
      const res = await request(t.app)
        .post('/students')
        .set('Accept', 'application/json')
        .set('Accept-Language', 'zh-CN')
        .set('Content-Type', 'application/json')
        .send('{"broken":');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(zhCN.errors.invalid_json);
    });

    it('refuses a form with more than 2,100 fields with 413', async () => {
      const body = Array.from({ length: 2_200 }, (_, i) => `f${i}=1`).join('&');
      const res = await request(t.app).post('/students').set('Accept', 'application/json').type('form').send(body);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    });

    it('does not refuse a body just under the limit for its size', async () => {
      const res = await request(t.app)
        .post('/students')
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(90 * 1024) }));
      // Parsed, then stopped by CSRF protection: the size was fine.
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('csrf_invalid');
    });

    it('answers malformed JSON with a 400 JSON error', async () => {
      const res = await agent
        .post('/students')
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/json')
        .send('{"student_no": "S-1",');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.error.code).toBe('invalid_json');
      expect(res.body.error.message).toBe(en.errors.invalid_json);
      expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
      expect(JSON.stringify(res.body)).not.toMatch(/SyntaxError|at JSON\.parse|node_modules/);
    });
  });

  describe('identity headers', () => {
    test.each([
      ['GET', '/healthz', 200],
      ['GET', '/readyz', 200],
      ['GET', '/metrics', 200],
      ['GET', '/login', 200],
      ['GET', '/students', 302],
      ['GET', '/no/such/page', 404],
      ['GET', '/static/css/app.css', 200],
      ['GET', '/static/favicon.svg', 200],
      ['POST', '/students', 403],
    ])('%s %s (%i) says which node served it and under which request id', async (method, path, status) => {
      const res = method === 'GET' ? await request(t.app).get(path) : await request(t.app).post(path).send({});
      expect(res.status).toBe(status);
      expect(res.headers['x-served-by']).toBe('test-node');
      expect(res.headers['x-request-id']).toMatch(UUID);
    });

    it('gives every request its own id', async () => {
      const a = await request(t.app).get('/healthz');
      const b = await request(t.app).get('/healthz');
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });

    test.each(['nginx-7f3a9c', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'node.1:req_42-x', 'r'.repeat(64)])(
      'echoes a sane incoming X-Request-Id %s',
      async (id) => {
        const res = await request(t.app).get('/no/such/page').set('X-Request-Id', id);
        expect(res.headers['x-request-id']).toBe(id);
        expect(pageRequestId(res.text)).toBe(id);
      },
    );

    test.each([
      ['300 characters', 'r'.repeat(300)],
      // 64 is the width of audit_log.request_id: a longer id could not be recorded.
      ['65 characters', 'r'.repeat(65)],
      ['spaces', 'abc def'],
      ['markup', '<script>alert(1)</script>'],
      ['a semicolon', 'id;drop'],
    ])('replaces an incoming X-Request-Id with %s', async (_what, id) => {
      const res = await request(t.app).get('/no/such/page').set('X-Request-Id', id);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(pageRequestId(res.text)).toBe(res.headers['x-request-id']);
      expect(res.text).not.toContain(id);
    });
  });

  it('records the longest accepted request id with the change it made', async () => {
    const id = 'a'.repeat(32) + '-' + 'b'.repeat(31);
    expect(id).toHaveLength(64);
    const token = await csrfToken(agent, '/students/new');
    const res = await agent
      .post('/students')
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .set('X-Request-Id', id)
      .send({ student_no: `RQ-${Date.now()}`, name: 'Request Id', gender: 'male', enrolment_year: 2024 });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe(id);
    const audit = await t.db('audit_log').where({ entity: 'student', entity_id: String(res.body.data.id) });
    expect(audit.map((row: { action: string; request_id: string }) => [row.action, row.request_id])).toEqual([
      ['create', id],
    ]);
  });

  describe('probes and metrics', () => {
    it('answers /healthz with the node and sets no session', async () => {
      const res = await request(t.app).get('/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', node: 'test-node' });
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('answers /readyz 200 when every dependency answers', async () => {
      const res = await request(t.app).get('/readyz');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ready', node: 'test-node', checks: { database: 'ok' } });
      expect(Object.values(res.body.checks).every((state) => state === 'ok')).toBe(true);
      if (t.redis) expect(res.body.checks.redis).toBe('ok');
    });

    it('serves Prometheus text with request durations labelled by route pattern', async () => {
      const student = await createStudent(t.db);
      await request(t.app).get('/healthz');
      await agent.get(`/students/${student.id}`);
      await request(t.app).get('/unmatched-path-7731');

      const res = await request(t.app).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(res.text).toContain('# TYPE http_requests_total counter');
      expect(res.text).toMatch(/^http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*\} [1-9]/m);
      expect(res.text).toMatch(/^http_request_duration_seconds_bucket\{[^}]*le="\+Inf"[^}]*\} [1-9]/m);
      expect(res.text).toMatch(/^http_requests_total\{[^}]*route="\/students\/:id"[^}]*status_code="200"/m);
      expect(res.text).toMatch(/node="test-node"/);
      expect(res.text).toContain('process_cpu_user_seconds_total');
      // Raw URLs never become labels.
      expect(res.text).not.toContain('unmatched-path-7731');
      expect(res.text).not.toContain(`/students/${student.id}"`);
    });
  });

  describe('security headers', () => {
    function csp(res: request.Response): Map<string, string[]> {
      const header = res.headers['content-security-policy'] as string | undefined;
      expect(header).toBeDefined();
      const directives = new Map<string, string[]>();
      for (const part of header!.split(';')) {
        const [name, ...sources] = part.trim().split(/\s+/);
        if (name) directives.set(name, sources);
      }
      return directives;
    }

    test.each(['/login', '/healthz', '/no/such/page'])('%s carries a self-only CSP', async (path) => {
      const directives = csp(await request(t.app).get(path));
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('style-src')).toEqual(["'self'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      for (const [name, sources] of directives) {
        for (const source of sources) {
          const allowed = source === "'self'" || source === "'none'" || (name === 'img-src' && source === 'data:');
          expect({ name, source, allowed }).toEqual({ name, source, allowed: true });
        }
      }
      const raw = String((await request(t.app).get(path)).headers['content-security-policy']);
      expect(raw).not.toContain('unsafe-inline');
      expect(raw).not.toContain('unsafe-eval');
      expect(raw).not.toMatch(/https?:/);
    });

    it('needs no inline script or style on its pages, and hides the framework', async () => {
      const res = await agent.get('/students');
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.text).not.toMatch(/\sstyle="/);
      expect(res.text).not.toContain('<style');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('language', () => {
    it('switches to Chinese with ?lang=zh-CN and keeps it for the next request', async () => {
      const browser = request.agent(t.app);
      const first = await browser.get('/login?lang=zh-CN');
      expect(first.text).toContain('<html lang="zh-CN">');
      expect(first.text).toContain(zhCN.auth.sign_in);
      expect(first.text).not.toContain(en.auth.sign_in);

      const next = await browser.get('/login');
      expect(next.text).toContain('<html lang="zh-CN">');
      expect(next.text).toContain('登录');

      const back = await browser.get('/login?lang=en');
      expect(back.text).toContain(en.auth.sign_in);
      expect((await browser.get('/login')).text).toContain(en.auth.sign_in);
    });

    it('keeps the chosen language through sign-in', async () => {
      const browser = request.agent(t.app);
      await browser.get('/login?lang=zh-CN');
      const token = await csrfToken(browser);
      const login = await browser
        .post('/login')
        .type('form')
        .send({ username: staff.username, password: staff.password, _csrf: token });
      expect(login.status).toBe(302);
      const list = await browser.get('/students');
      expect(list.status).toBe(200);
      expect(list.text).toContain(`<h1>${zhCN.students.title}</h1>`);
    });

    test.each([
      ['zh-CN', 'zh-CN'],
      ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
      ['zh', 'zh-CN'],
      ['en-GB,en;q=0.9', 'en'],
      ['fr-FR', 'en'],
    ])('picks the language from Accept-Language %s', async (header, lang) => {
      const res = await request(t.app).get('/login').set('Accept-Language', header);
      expect(res.text).toContain(`<html lang="${lang}">`);
      expect(res.text).toContain(lang === 'zh-CN' ? zhCN.auth.sign_in : en.auth.sign_in);
    });

    it('uses English without an Accept-Language header', async () => {
      const res = await request(t.app).get('/login');
      expect(res.text).toContain('<html lang="en">');
      expect(res.text).toContain(en.auth.sign_in);
      expect(res.text).not.toContain('登录');
    });

    it('prefers the choice kept in the session over the Accept-Language header', async () => {
      const browser = request.agent(t.app);
      await browser.get('/login?lang=en');
      const res = await browser.get('/login').set('Accept-Language', 'zh-CN');
      expect(res.text).toContain('<html lang="en">');
    });

    it('ignores an unknown ?lang', async () => {
      const res = await request(t.app).get('/login?lang=xx');
      expect(res.text).toContain('<html lang="en">');
    });

    it('translates JSON error messages too', async () => {
      const browser = await signIn(t.app, staff);
      const res = await browser.get('/students/987654?lang=zh-CN').set('Accept', 'application/json');
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_found', message: zhCN.students.not_found });
    });
  });
});

describe('an unexpected failure', () => {
  // A real failure: a missing table (the driver's error carries SQL, which must never reach a user).
  let prod: TestApp;
  let dev: TestApp;
  let prodAgent: Agent;
  let devAgent: Agent;

  beforeAll(async () => {
    prod = await buildTestApp({ env: PRODUCTION_ENV });
    dev = await buildTestApp({ env: { NODE_ENV: 'development' } });
    prodAgent = await signIn(prod.app, await createUser(prod.db, 'staff'));
    devAgent = await signIn(dev.app, await createUser(dev.db, 'staff'));
    // Renamed rather than dropped, because on MySQL users.student_id holds a foreign key to it.
    await prod.db.schema.renameTable('students', 'students_gone');
  });
  afterAll(async () => {
    await prod.close();
    await dev.close();
  });

  function expectNoDetails(html: string): void {
    expect(html).not.toContain(en.errors.details);
    expect(html).not.toContain('<pre>');
    expect(html).not.toMatch(
      /students_gone|no such table|doesn't exist|select |Unable to acquire|\.ts:\d+|node_modules|Error:/,
    );
  }

  it('shows a 500 page without a stack trace or SQL in production', async () => {
    expect(prod.config.isProduction).toBe(true);
    const res = await prodAgent.get('/students');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain(`500 · ${en.errors.title['500']}`);
    expect(res.text).toContain(en.errors.internal);
    expect(pageRequestId(res.text)).toBe(res.headers['x-request-id']);
    expectNoDetails(res.text);
  });

  it('gives a JSON 500 without details in production', async () => {
    const res = await prodAgent.get('/students').set('Accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: { code: 'internal_error', message: en.errors.internal, requestId: res.headers['x-request-id'] },
    });
  });

  it('keeps the rest of the production app working', async () => {
    expect((await request(prod.app).get('/healthz')).status).toBe(200);
    expect((await prodAgent.get('/students/new')).status).toBe(200);
  });

  it('answers 503 "unavailable" without details once the connection pool is gone (a node shutting down)', async () => {
    await prod.db.destroy();
    const res = await prodAgent.get('/students');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.text).toContain(en.errors.unavailable);
    expectNoDetails(res.text);
  });

  it('shows the details of the same failure in development', async () => {
    expect(dev.config.isProduction).toBe(false);
    await dev.db.schema.renameTable('students', 'students_gone');
    const res = await devAgent.get('/students');
    expect(res.status).toBe(500);
    expect(res.text).toContain(en.errors.internal);
    expect(res.text).toContain(en.errors.details);
    const stack = /<pre>([\s\S]*?)<\/pre>/.exec(res.text)?.[1];
    expect(stack).toBeDefined();
    expect(stack).toMatch(/students/);
    expect(stack).toMatch(/\n\s+at /);
  });
});

describe('readiness', () => {
  it('answers /readyz 503 naming the database once the database is gone, while /healthz stays 200', async () => {
    const t = await buildTestApp();
    try {
      expect((await request(t.app).get('/readyz')).status).toBe(200);
      await t.db.destroy();

      const res = await request(t.app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        status: 'unavailable',
        node: 'test-node',
        failing: ['database'],
        checks: { database: 'failing' },
      });
      expect(res.headers['x-served-by']).toBe('test-node');
      expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok', node: 'test-node' });
    } finally {
      await t.close();
    }
  });

  it("answers /readyz 503 'draining' once the node starts draining, while /healthz stays 200", async () => {
    const t = await buildTestApp();
    try {
      expect((await request(t.app).get('/readyz')).status).toBe(200);
      t.lifecycle.startDraining();

      const res = await request(t.app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'draining', node: 'test-node' });
      expect((await request(t.app).get('/healthz')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('anonymous visits', () => {
  it('create no session, not even on the sign-in page, which carries a signed CSRF cookie instead', async () => {
    const t = await buildTestApp();
    try {
      const missing = await request(t.app).get('/no-such-page');
      expect(missing.status).toBe(404);
      expect(missing.headers['set-cookie']).toBeUndefined();
      expect(missing.text).toContain('<meta name="csrf-token" content="">');
      const login = await request(t.app).get('/login');
      expect(String(login.headers['set-cookie'])).not.toMatch(/sis\.sid=/);
      expect(String(login.headers['set-cookie'])).toMatch(/sis\.csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
      expect(login.text).toMatch(/<meta name="csrf-token" content="m\.[A-Za-z0-9_-]+">/);
    } finally {
      await t.close();
    }
  });
});
