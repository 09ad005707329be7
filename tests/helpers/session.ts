// Drives the app like a browser: a cookie-carrying agent, CSRF tokens read from the page's meta tag.
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { TestUser } from './factories';

export type Agent = TestAgent;

export function csrfFromHtml(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]*)">/.exec(html);
  if (!match?.[1]) throw new Error('no csrf-token meta tag in the page');
  return match[1];
}

export async function csrfToken(agent: Agent, path = '/login'): Promise<string> {
  const res = await agent.get(path).set('Accept', 'text/html');
  return csrfFromHtml(res.text);
}

/** One sign-in form sent as a browser would (the form's CSRF token first), whatever its answer. */
export async function loginAttempt(
  agent: Agent,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<request.Response> {
  const token = await csrfToken(agent);
  return agent.post('/login').set(headers).type('form').send({ username, password, _csrf: token });
}

export async function signIn(app: Express, user: Pick<TestUser, 'username' | 'password'>): Promise<Agent> {
  const agent = request.agent(app);
  const res = await loginAttempt(agent, user.username, user.password);
  if (res.status !== 302) throw new Error(`sign-in of ${user.username} failed with ${res.status}`);
  return agent;
}

/** A POST carrying a fresh CSRF token from a page the user can open. */
export async function postForm(
  agent: Agent,
  path: string,
  body: Record<string, string>,
  tokenPage = '/account/password',
): Promise<request.Response> {
  const token = await csrfToken(agent, tokenPage);
  return agent
    .post(path)
    .type('form')
    .set('Accept', 'text/html')
    .send({ ...body, _csrf: token });
}

export function sessionCookie(res: request.Response): string | undefined {
  const cookies = res.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((c) => c.startsWith('sis.sid='))?.split(';')[0];
}
