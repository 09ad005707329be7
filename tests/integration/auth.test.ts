import request from 'supertest';
import { createUser, type TestUser } from '../helpers/factories';
import { csrfFromHtml, csrfToken, loginAttempt, postForm, sessionCookie, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

describe('signing in and out', () => {
  let t: TestApp;
  let staff: TestUser;

  beforeAll(async () => {
    t = await buildTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
    staff = await createUser(t.db, 'staff');
  });
  afterAll(() => t.close());

  async function attempt(username: string, password: string, agent = request.agent(t.app)) {
    const token = await csrfToken(agent);
    return agent.post('/login').type('form').send({ username, password, _csrf: token });
  }

  it('signs in with the right password and lands on /', async () => {
    const res = await attempt(staff.username, staff.password);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
  });

  it('gives one generic 401 message for a wrong password and for an unknown user', async () => {
    const wrong = await attempt(staff.username, 'not-the-password');
    const unknown = await attempt('nobody-' + Date.now(), 'whatever-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain('The username or password is not correct.');
    expect(unknown.text).toContain('The username or password is not correct.');
    // The form comes back with the username kept and the password never echoed.
    expect(wrong.text).toContain(`value="${staff.username}"`);
    expect(wrong.text).not.toContain('not-the-password');
  });

  it('refuses a deactivated account with the same generic message', async () => {
    const inactive = await createUser(t.db, 'staff', { active: false });
    const res = await attempt(inactive.username, inactive.password);
    expect(res.status).toBe(401);
    expect(res.text).toContain('The username or password is not correct.');
  });

  it('asks for both fields when they are blank (422) without trying to sign in', async () => {
    const res = await attempt('', '');
    expect(res.status).toBe(422);
    expect(res.text).toContain('This field is required.');
  });

  it('gives the session a new id at sign-in (no fixation): a planted session id is destroyed', async () => {
    // An attacker signs in and plants their session cookie in the victim's browser.
    const attacker = await createUser(t.db, 'staff');
    const attackerAgent = request.agent(t.app);
    const planted = sessionCookie(await attempt(attacker.username, attacker.password, attackerAgent))!;
    expect(planted).toBeDefined();
    const token = await csrfToken(attackerAgent, '/account/password');
    const res = await request(t.app)
      .post('/login')
      .set('Cookie', planted)
      .type('form')
      .send({ username: staff.username, password: staff.password, _csrf: token });
    expect(res.status).toBe(302);
    const after = sessionCookie(res);
    expect(after).toBeDefined();
    expect(after).not.toBe(planted);
    // The planted id itself signs nobody in any more.
    const old = await request(t.app).get('/students').set('Cookie', planted);
    expect(old.status).toBe(302);
    expect(old.headers.location).toBe('/login');
  });

  it('sets an httpOnly, SameSite session cookie at sign-in', async () => {
    const res = await attempt(staff.username, staff.password);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sis.sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('marks the cookies Secure when nginx says the request came over HTTPS', async () => {
    const page = await request(t.app).get('/login').set('X-Forwarded-Proto', 'https');
    const csrfCookie = (page.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sis.csrf='))!;
    expect(csrfCookie).toMatch(/Secure/);
    // A browser sends a Secure cookie back over HTTPS only; supertest speaks plain HTTP, so by hand.
    const res = await request(t.app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', csrfCookie.split(';')[0]!)
      .type('form')
      .send({ username: staff.username, password: staff.password, _csrf: csrfFromHtml(page.text) });
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sis.sid='))!;
    expect(cookie).toMatch(/Secure/);
  });

  it('logs out: the old session no longer opens protected pages', async () => {
    const agent = await signIn(t.app, staff);
    expect((await agent.get('/students')).status).toBe(200);
    const res = await postForm(agent, '/logout', {});
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
    const after = await agent.get('/students');
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/login');
  });

  it('rejects a sign-in POST without a CSRF token with 403', async () => {
    const res = await request(t.app)
      .post('/login')
      .type('form')
      .send({ username: staff.username, password: staff.password });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Your form expired');
  });

  it('masks the CSRF token anew on every page (BREACH), and accepts any masked copy but not an altered one', async () => {
    const agent = request.agent(t.app);
    const first = await csrfToken(agent);
    const second = await csrfToken(agent);
    expect(first).toMatch(/^m\.[A-Za-z0-9_-]+$/);
    expect(second).not.toBe(first);
    const altered = `${first.slice(0, -3)}${first.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const refused = await agent
      .post('/login')
      .type('form')
      .send({ username: staff.username, password: staff.password, _csrf: altered });
    expect(refused.status).toBe(403);
    const accepted = await agent
      .post('/login')
      .type('form')
      .send({ username: staff.username, password: staff.password, _csrf: first });
    expect(accepted.status).toBe(302);
  });

  it('answers JSON sign-in with the user', async () => {
    const agent = request.agent(t.app);
    const token = await csrfToken(agent);
    const res = await agent
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: staff.username, password: staff.password, _csrf: token });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: staff.id, username: staff.username, role: 'staff' });
  });

  it('records sign-in in the audit log and the last login time', async () => {
    const user = await createUser(t.db, 'admin');
    await signIn(t.app, user);
    const row = await t.db('users').where({ id: user.id }).first();
    expect(row.last_login_at).toBeTruthy();
    const audit = await t.db('audit_log').where({ action: 'login', actor_id: user.id });
    expect(audit).toHaveLength(1);
    expect(audit[0].node_id).toBe('test-node');
  });

  it('returns 429 after too many failures for one username, even with the right password', async () => {
    const victim = await createUser(t.db, 'staff');
    for (let i = 0; i < 3; i++) expect((await attempt(victim.username, 'wrong-password')).status).toBe(401);
    const blocked = await attempt(victim.username, victim.password);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many failed sign-in attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("a successful sign-in clears the account's count of wrong passwords", async () => {
    const user = await createUser(t.db, 'staff');
    for (let i = 0; i < 2; i++) expect((await attempt(user.username, 'wrong-password')).status).toBe(401);
    expect((await attempt(user.username, user.password)).status).toBe(302);
    for (let i = 0; i < 2; i++) expect((await attempt(user.username, 'wrong-password')).status).toBe(401);
    expect((await attempt(user.username, user.password)).status).toBe(302);
  });

  it('forces a user whose password was reset to choose a new one, then lets them in', async () => {
    const user = await createUser(t.db, 'staff', { mustChangePassword: true });
    const agent = request.agent(t.app);
    const token = await csrfToken(agent);
    const login = await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: user.password, _csrf: token });
    expect(login.headers.location).toBe('/account/password');
    const blocked = await agent.get('/students');
    expect(blocked.status).toBe(302);
    expect(blocked.headers.location).toBe('/account/password');

    const mismatch = await postForm(agent, '/account/password', {
      current_password: user.password,
      new_password: 'a-new-password-1',
      confirm_password: 'different-password',
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('The two new passwords are not the same.');

    const wrongCurrent = await postForm(agent, '/account/password', {
      current_password: 'nope-nope-nope',
      new_password: 'a-new-password-1',
      confirm_password: 'a-new-password-1',
    });
    expect(wrongCurrent.status).toBe(422);
    expect(wrongCurrent.text).toContain('The current password is not correct.');

    const ok = await postForm(agent, '/account/password', {
      current_password: user.password,
      new_password: 'a-new-password-1',
      confirm_password: 'a-new-password-1',
    });
    expect(ok.status).toBe(302);
    expect((await agent.get('/students')).status).toBe(200);
    await signIn(t.app, { username: user.username, password: 'a-new-password-1' });
  });
});

describe('a sign-in storm from one address (a campus NAT)', () => {
  let t: TestApp;
  // Each test signs in from an address of its own (nginx's X-Forwarded-For; loopback is a trusted proxy).
  let octet = 10;
  const fromNewAddress = () => ({ 'X-Forwarded-For': `198.51.100.${octet++}` });

  beforeAll(async () => {
    t = await buildTestApp({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_IP_MAX_FAILURES: '6' } });
  });
  afterAll(() => t.close());

  async function users(n: number): Promise<TestUser[]> {
    const made: TestUser[] = [];
    for (let i = 0; i < n; i++) made.push(await createUser(t.db, 'student'));
    return made;
  }

  it('lets every one of many concurrent correct sign-ins from one address in', async () => {
    const address = fromNewAddress();
    const students = await users(24);
    const answers = await Promise.all(
      students.map((u) => loginAttempt(request.agent(t.app), u.username, u.password, address)),
    );
    expect(answers.map((r) => r.status)).toEqual(students.map(() => 302));
  });

  it('stops one address spraying wrong passwords over many accounts after its bound, and no other address', async () => {
    const address = fromNewAddress();
    const targets = await users(7);
    // One wrong password for each of six accounts: each account is far from its own bound (3).
    for (const u of targets.slice(0, 6))
      expect((await loginAttempt(request.agent(t.app), u.username, 'guess-1', address)).status).toBe(401);
    const blocked = await loginAttempt(request.agent(t.app), targets[6]!.username, targets[6]!.password, address);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many failed sign-in attempts');
    // The accounts themselves are not locked: from elsewhere, their owners sign in.
    const owner = await loginAttempt(
      request.agent(t.app),
      targets[0]!.username,
      targets[0]!.password,
      fromNewAddress(),
    );
    expect(owner.status).toBe(302);
  });

  it('counts wrong passwords even when they arrive all at once (never only the ones that finished)', async () => {
    const address = fromNewAddress();
    const [victim] = await users(1);
    const burst = await Promise.all(
      Array.from({ length: 3 }, () => loginAttempt(request.agent(t.app), victim!.username, 'wrong-password', address)),
    );
    expect(burst.map((r) => r.status)).toEqual([401, 401, 401]);
    const after = await loginAttempt(request.agent(t.app), victim!.username, victim!.password, fromNewAddress());
    expect(after.status).toBe(429);
  });

  it('does not count its own 429s: the lockout ends when the window of the wrong passwords does', async () => {
    const address = fromNewAddress();
    const [victim] = await users(1);
    for (let i = 0; i < 3; i++)
      expect((await loginAttempt(request.agent(t.app), victim!.username, 'wrong', address)).status).toBe(401);
    const first = await loginAttempt(request.agent(t.app), victim!.username, victim!.password, address);
    expect(first.status).toBe(429);
    const firstWait = Number(first.headers['retry-after']);
    let last = first;
    for (let i = 0; i < 10; i++) last = await loginAttempt(request.agent(t.app), victim!.username, 'wrong', address);
    expect(last.status).toBe(429);
    // Ten more refused attempts moved the end of the lockout by nothing.
    expect(Number(last.headers['retry-after'])).toBeLessThanOrEqual(firstWait);
    // And the address spent only its three wrong passwords: three more accounts' worth remain.
    const others = await users(3);
    for (const u of others)
      expect((await loginAttempt(request.agent(t.app), u.username, 'wrong', address)).status).toBe(401);
    expect((await loginAttempt(request.agent(t.app), others[0]!.username, others[0]!.password, address)).status).toBe(
      429,
    );
  });
});

describe('argon2id verifications per node are bounded', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp({ env: { PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' } });
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After past the queue, instead of queueing every sign-in', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 8; i++) users.push(await createUser(t.db, 'student'));
    const ready = await Promise.all(
      users.map(async (u) => {
        const agent = request.agent(t.app);
        return { agent, u, token: await csrfToken(agent) };
      }),
    );
    const answers = await Promise.all(
      ready.map(({ agent, u, token }) =>
        agent.post('/login').type('form').send({ username: u.username, password: u.password, _csrf: token }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 302).length).toBeGreaterThanOrEqual(1);
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(busy[0]!.headers['retry-after']).toBe('5');
    expect(busy[0]!.text).toContain('Many people are signing in right now');
    expect(statuses.every((s) => s === 302 || s === 503)).toBe(true);
    // Refused for load, not for guessing: the same sign-in goes through once the storm has passed.
    const again = answers.findIndex((r) => r.status === 503);
    expect((await loginAttempt(request.agent(t.app), users[again]!.username, users[again]!.password)).status).toBe(302);
  });
});
