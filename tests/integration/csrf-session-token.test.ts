// A signed-in session has its CSRF token from the moment it is signed in: no page writes one later. (Made
// by the first page instead, it was written by a GET: when nginx retried a slow first page on another
// node, both nodes wrote a different token, the slower save won, and the browser's token was refused.)
import session from 'express-session';
import { unmaskToken } from '../../src/middleware/csrf-mask';
import { createUser } from '../helpers/factories';
import { csrfFromHtml, signIn } from '../helpers/session';
import { buildTestApp, type TestApp } from '../helpers/test-app';

type Stored = session.SessionData & { userId?: number; csrfToken?: string };

describe('the session CSRF token', () => {
  const store = new session.MemoryStore();
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ sessionStore: store });
  });
  afterAll(() => t.close());

  const storedFor = (userId: number) =>
    new Promise<Stored | undefined>((resolve, reject) =>
      store.all((err, all) =>
        err ? reject(err) : resolve(Object.values(all ?? {}).find((s) => (s as Stored).userId === userId) as Stored),
      ),
    );

  it('is in the session as soon as it is signed in, and every page carries that one', async () => {
    const user = await createUser(t.db, 'staff');
    const staff = await signIn(t.app, user);
    const stored = await storedFor(user.id);
    expect(stored?.csrfToken).toMatch(/^[0-9a-f]{64}$/);
    const pages = await Promise.all(['/students', '/students/new', '/sections'].map((path) => staff.get(path)));
    expect(pages.map((p) => unmaskToken(csrfFromHtml(p.text)))).toEqual([
      stored!.csrfToken,
      stored!.csrfToken,
      stored!.csrfToken,
    ]);
    expect((await storedFor(user.id))?.csrfToken).toBe(stored!.csrfToken);
  });
});
