// One browser-like client: its own keep-alive connection (as a browser tab keeps one), its own cookies,
// the page's CSRF token. Every request has a timeout; a failure says whether it was a timeout or a socket.
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

export class RequestFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'socket',
    message: string,
  ) {
    super(message);
  }
}

const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)?.[1];

export class BrowserClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(
    readonly base: string,
    private readonly timeoutMs = 15_000,
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  request(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const all: Record<string, string> = { ...headers };
      if (this.cookies.size > 0) all.cookie = this.cookieHeader;
      if (body !== undefined) all['content-length'] = String(Buffer.byteLength(body));
      const req = http.request(
        `${this.base}${path}`,
        { method, headers: all, agent: this.agent, timeout: this.timeoutMs },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('error', (err) => reject(new RequestFailure('socket', err.message)));
          res.on('end', () => {
            for (const c of res.headers['set-cookie'] ?? []) {
              const [pair] = c.split(';');
              const eq = pair!.indexOf('=');
              const name = pair!.slice(0, eq).trim();
              const value = pair!.slice(eq + 1).trim();
              if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            const token = csrfOf(text);
            if (token) this.csrf = token;
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ms: performance.now() - t0 });
          });
        },
      );
      req.on('timeout', () => req.destroy(new RequestFailure('timeout', `timed out after ${this.timeoutMs} ms`)));
      req.on('error', (err) => reject(err instanceof RequestFailure ? err : new RequestFailure('socket', err.message)));
      req.end(body);
    });
  }

  get(path: string, accept = 'text/html'): Promise<Reply> {
    return this.request('GET', path, { accept });
  }

  postForm(path: string, fields: Record<string, string>): Promise<Reply> {
    const body = new URLSearchParams({ ...fields, _csrf: this.csrf }).toString();
    return this.request(
      'POST',
      path,
      { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body,
    );
  }

  postJson(path: string, body: object, idempotencyKey: string): Promise<Reply> {
    return this.request(
      'POST',
      path,
      {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': this.csrf,
        'idempotency-key': idempotencyKey,
      },
      JSON.stringify(body),
    );
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Signs in through the form, as a browser does (the sign-in page's CSRF cookie and token first). */
export async function signIn(client: BrowserClient, username: string, password: string): Promise<Reply> {
  const page = await client.get('/login');
  if (page.status !== 200) return page;
  return client.postForm('/login', { username, password });
}

/** A signed-in staff client whose cookie and CSRF token the fixed-endpoint loads reuse. */
export async function staffSession(base: string, password: string): Promise<BrowserClient> {
  const client = new BrowserClient(base);
  const login = await signIn(client, 'staff', password);
  if (login.status !== 302) throw new Error(`staff sign-in at ${base} answered ${login.status}`);
  const page = await client.get('/students/new');
  if (page.status !== 200 || !client.csrf) throw new Error(`no CSRF token for staff at ${base} (${page.status})`);
  return client;
}
