// An overloaded node answers new requests 503 `overloaded` at once (nginx retries them on another node),
// says so on /readyz, never sheds /healthz, and serves again as soon as the load is gone.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import en from '../../src/i18n/locales/en.json';
import zhCN from '../../src/i18n/locales/zh-CN.json';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const MAX_IN_FLIGHT = 2;

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** A sign-in whose body never arrives: it stays in flight (in the body parser) until its socket closes. */
async function holdRequest(port: number): Promise<net.Socket> {
  const socket = await connect(port);
  socket.write(
    'POST /students HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      'Content-Length: 100\r\n\r\n',
  );
  return socket;
}

/** Everything the server answers on this socket until it closes it (or the socket errors). */
function answerOf(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.once('close', () => resolve(text));
  });
}

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // the event loop is stalled, as in a long synchronous task or a GC pause
  }
}

async function metricValue(t: TestApp, name: string, labels = ''): Promise<number> {
  const text = (await request(t.app).get('/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return Number(line?.split(' ').pop() ?? 0); // a labelled counter has no line before its first increment
}

describe('load shedding', () => {
  describe('by requests in flight', () => {
    let t: TestApp;
    let server: http.Server;
    let port: number;
    let held: net.Socket[] = [];

    beforeAll(async () => {
      t = await buildTestApp({ env: { OVERLOAD_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT) } });
      server = http.createServer(t.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterEach(async () => {
      for (const socket of held) socket.destroy();
      held = [];
      await waitUntilServing();
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    });

    const url = (path: string) => `http://127.0.0.1:${port}${path}`;
    async function waitUntilServing(): Promise<void> {
      for (let i = 0; i < 100; i++) {
        if ((await request(url('')).get('/readyz')).status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('still overloaded');
    }
    async function fillUp(): Promise<void> {
      held = await Promise.all(Array.from({ length: MAX_IN_FLIGHT }, () => holdRequest(port)));
      // Both are in flight once /readyz says so.
      for (let i = 0; i < 100 && (await request(url('')).get('/readyz')).status !== 503; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    it('answers a JSON 503 overloaded with Retry-After before any work, and serves again once load is gone', async () => {
      const shedBefore = await metricValue(t, 'http_requests_shed_total', 'reason="in_flight"');
      await fillUp();
      expect(await metricValue(t, 'http_requests_in_flight')).toBe(MAX_IN_FLIGHT);

      const res = await request(url('')).get('/students').set('Accept', 'application/json');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.body).toEqual({
        error: { code: 'overloaded', message: en.errors.overloaded, requestId: res.headers['x-request-id'] },
      });
      // Shed before the session: no cookie was set, nothing was read.
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(await metricValue(t, 'http_requests_shed_total', 'reason="in_flight"')).toBe(shedBefore + 1);

      for (const socket of held) socket.destroy();
      held = [];
      await waitUntilServing();
      const after = await request(url('')).get('/login');
      expect(after.status).toBe(200);
    });

    it('answers an HTML 503 page in the reader’s language', async () => {
      await fillUp();
      const page = await request(url('')).get('/login').set('Accept', 'text/html').set('Accept-Language', 'zh-CN');
      expect(page.status).toBe(503);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['retry-after']).toBe('2');
      expect(page.text).toContain(zhCN.errors.overloaded);
      expect(page.text).toContain(zhCN.errors.title['503']);
    });

    it('lets a sign-in through while pages are shed: it waits in the argon2id queue, which bounds it', async () => {
      await fillUp();
      expect((await request(url('')).get('/students').set('Accept', 'application/json')).status).toBe(503);
      // No CSRF token: the sign-in itself is refused (403), not shed; nothing else is needed to show it.
      const signIn = await request(url('')).post('/login').type('form').send({ username: 'x', password: 'y' });
      expect(signIn.status).toBe(403);
    });

    it('never sheds /healthz, and /readyz says overloaded while shedding', async () => {
      await fillUp();
      const health = await request(url('')).get('/healthz');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok', node: 'test-node' });
      const ready = await request(url('')).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ status: 'overloaded', node: 'test-node' });
      expect((await request(url('')).get('/metrics')).status).toBe(200);
    });

    it('closes the connection unanswered when nginx asks for that (where it passes 503s back to the client)', async () => {
      await fillUp();
      const socket = await connect(port);
      const answer = answerOf(socket);
      socket.write('GET /sections HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Overload-Answer: close\r\n\r\n');
      expect(await answer).toBe('');
    });
  });

  describe('by event-loop lag', () => {
    let t: TestApp;
    let server: http.Server;
    let port: number;

    beforeAll(async () => {
      t = await buildTestApp({ env: { OVERLOAD_MAX_LAG_MS: '100' } });
      server = http.createServer(t.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
      await t.close();
    });

    it('sheds what arrives during a 300 ms stall and serves again right after', async () => {
      const socket = await connect(port);
      const answer = answerOf(socket);
      socket.write('GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close\r\n\r\n');
      busyWait(300);
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 503 /);
      expect(text).toContain('"code":"overloaded"');
      expect(text).toMatch(/retry-after: 2/i);

      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await request(`http://127.0.0.1:${port}`).get('/login')).status).toBe(200);
      expect((await request(`http://127.0.0.1:${port}`).get('/readyz')).status).toBe(200);
    });
  });
});
