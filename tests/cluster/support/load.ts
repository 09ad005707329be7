// Steady mixed load through nginx, as signed-in staff: list reads, detail reads and student creations
// (JSON, each with its own Idempotency-Key). Bounded in time; every request goes to 127.0.0.1 only.
// A "failure" is anything but the expected status: an error page, a reset connection, a timeout; with
// `allowShed`, a clear 503 (Retry-After and an error code) is counted apart as shed instead.
import { randomUUID } from 'node:crypto';
import http from 'node:http';

const REQUEST_TIMEOUT_MS = 15_000;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function send(
  agent: http.Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

const cookieOf = (reply: Reply) => (reply.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';

/** One browser-like client: its own keep-alive connection to nginx and its own signed-in session. */
export class Client {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private cookie = '';
  private csrf = '';

  constructor(private readonly base: string) {}

  /** Another connection of the same browser: the signed-in session of `other`, on a socket of its own. */
  static sharing(other: Client): Client {
    const client = new Client(other.base);
    client.cookie = other.cookie;
    client.csrf = other.csrf;
    return client;
  }

  async signIn(username: string, password: string): Promise<void> {
    const page = await send(this.agent, `${this.base}/login`, 'GET', {});
    this.cookie = cookieOf(page);
    const form = new URLSearchParams({ username, password, _csrf: csrfOf(page.text) }).toString();
    const login = await send(
      this.agent,
      `${this.base}/login`,
      'POST',
      {
        cookie: this.cookie,
        'content-type': 'application/x-www-form-urlencoded',
      },
      form,
    );
    if (login.status !== 302) throw new Error(`sign-in through nginx answered ${login.status}`);
    this.cookie = cookieOf(login);
    this.csrf = csrfOf((await this.get('/students/new', 'text/html')).text);
  }

  get(path: string, accept = 'application/json'): Promise<Reply> {
    return send(this.agent, `${this.base}${path}`, 'GET', { cookie: this.cookie, accept });
  }

  postJson(path: string, body: object, idempotencyKey: string): Promise<Reply> {
    return send(
      this.agent,
      `${this.base}${path}`,
      'POST',
      {
        cookie: this.cookie,
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': this.csrf,
        'idempotency-key': idempotencyKey,
      },
      JSON.stringify(body),
    );
  }

  /** A form with one file, as a browser uploads it (multipart/form-data), its CSRF token in the form. */
  postFile(
    path: string,
    fields: Record<string, string>,
    file: { name: string; type: string; content: Buffer },
    idempotencyKey: string,
  ): Promise<Reply> {
    const boundary = `----sis${Date.now().toString(16)}`;
    const parts = Object.entries({ _csrf: this.csrf, ...fields }).map(
      ([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`;
    const body = Buffer.concat([
      Buffer.from(parts.join('') + head),
      file.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return send(
      this.agent,
      `${this.base}${path}`,
      'POST',
      {
        cookie: this.cookie,
        accept: 'application/json',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(body.length),
        'idempotency-key': idempotencyKey,
      },
      body,
    );
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadReport {
  requests: number;
  failures: { at: number; what: string }[];
  byNode: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  /** The slowest request of all, answered or failed. */
  maxMs: number;
  /** With `allowShed`: clear 503s, by error code, and the slowest of them. */
  shed: Record<string, number>;
  shedMaxMs: number;
  /** Longest stretch without any successful answer: how long users would have waited during failover. */
  maxGapMs: number;
  /** Student numbers whose creation was answered 201. */
  acknowledged: string[];
}

export interface LoadOptions {
  clients: Client[];
  durationMs: number;
  /** A prefix for the student numbers this run creates, so they can be counted afterwards. */
  tag: string;
  /** Share of requests that are writes. */
  writeShare?: number;
  /** Count a 503 with Retry-After and an error code (a node shedding load, nginx's own 503) as shed, not failed. */
  allowShed?: boolean;
  /** How long a client waits after a shed answer before its next request (a person reading "try again"). */
  shedPauseMs?: number;
}

function shedCode(reply: Reply): string | undefined {
  if (reply.status !== 503 || reply.headers['retry-after'] === undefined) return undefined;
  try {
    return (JSON.parse(reply.text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const started = Date.now();
  const deadline = started + options.durationMs;
  const latencies: number[] = [];
  const successes: number[] = [];
  const report: LoadReport = {
    requests: 0,
    failures: [],
    byNode: {},
    p50Ms: 0,
    p99Ms: 0,
    maxMs: 0,
    shed: {},
    shedMaxMs: 0,
    maxGapMs: 0,
    acknowledged: [],
  };
  let seq = 0;

  async function oneRequest(client: Client): Promise<void> {
    const t0 = Date.now();
    const took = () => {
      const ms = Date.now() - t0;
      report.maxMs = Math.max(report.maxMs, ms);
      return ms;
    };
    const write = Math.random() < (options.writeShare ?? 0.3);
    let what = '';
    try {
      let reply: Reply;
      let expected: number;
      let studentNo: string | undefined;
      if (write) {
        studentNo = `${options.tag}${String(++seq).padStart(6, '0')}`;
        what = `POST /students ${studentNo}`;
        const body = { student_no: studentNo, name: `负载 ${studentNo}`, gender: 'male', enrolment_year: 2025 };
        reply = await client.postJson('/students', body, randomUUID());
        expected = 201;
      } else {
        const path = Math.random() < 0.5 ? `/students?page=${1 + Math.floor(Math.random() * 5)}` : '/students?q=LD';
        what = `GET ${path}`;
        reply = await client.get(path);
        expected = 200;
      }
      report.requests++;
      const node = String(reply.headers['x-served-by'] ?? 'none');
      report.byNode[node] = (report.byNode[node] ?? 0) + 1;
      const code = options.allowShed ? shedCode(reply) : undefined;
      if (code) {
        report.shed[code] = (report.shed[code] ?? 0) + 1;
        report.shedMaxMs = Math.max(report.shedMaxMs, took());
        if (options.shedPauseMs) await new Promise((resolve) => setTimeout(resolve, options.shedPauseMs));
        return;
      }
      if (reply.status !== expected) {
        took();
        report.failures.push({ at: t0 - started, what: `${what} -> ${reply.status} ${reply.text.slice(0, 120)}` });
        return;
      }
      if (studentNo) report.acknowledged.push(studentNo);
      latencies.push(took());
      successes.push(Date.now());
    } catch (err) {
      took();
      report.requests++;
      report.failures.push({ at: t0 - started, what: `${what} -> ${(err as Error).message}` });
    }
  }

  await Promise.all(
    options.clients.map(async (client) => {
      while (Date.now() < deadline) await oneRequest(client);
    }),
  );

  latencies.sort((a, b) => a - b);
  report.p50Ms = percentile(latencies, 0.5);
  report.p99Ms = percentile(latencies, 0.99);
  successes.sort((a, b) => a - b);
  let previous = started;
  for (const at of [...successes, Date.now()]) {
    report.maxGapMs = Math.max(report.maxGapMs, at - previous);
    previous = at;
  }
  return report;
}

export function describeReport(title: string, report: LoadReport): string {
  const nodes = Object.entries(report.byNode)
    .sort()
    .map(([node, n]) => `${node}=${n}`)
    .join(' ');
  const shed = Object.entries(report.shed)
    .map(([code, n]) => `${code}=${n}`)
    .join(' ');
  return (
    `${title}: ${report.requests} requests, ${report.failures.length} failed, ` +
    (shed ? `shed ${shed} (slowest ${report.shedMaxMs} ms), ` : '') +
    `${report.acknowledged.length} writes acknowledged, p50 ${report.p50Ms} ms, p99 ${report.p99Ms} ms, ` +
    `max ${report.maxMs} ms, longest gap ${report.maxGapMs} ms; by node: ${nodes}`
  );
}
