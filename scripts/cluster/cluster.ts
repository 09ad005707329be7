// The native cluster: MariaDB database prepared once, three app nodes on 127.0.0.11-13:3000 and nginx
// on 127.0.0.1:8080 with the same template compose uses. Tests start it with startCluster().
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareDatabase } from './database';
import { httpRequest } from './http';
import { NGINX_BIN, nginxArgs, testNginxConf, writeNginxConf } from './nginx-conf';
import {
  assertPortFree,
  exitOf,
  hasExited,
  removePidFile,
  spawnLogged,
  stopChild,
  waitForHttp,
  writePidFile,
} from './processes';
import { nativeNginxVars, REPO_ROOT } from './render-nginx';

export const SERVER_JS = path.join(REPO_ROOT, 'dist', 'src', 'server.js');

export interface ClusterOptions {
  databaseUrl?: string;
  redisUrl?: string;
  nginxPort?: number;
  /** One loopback address per node; the template has three upstream servers. */
  hosts?: string[];
  appPort?: number;
  runDir?: string;
  /** Generated once per run folder (64 hex characters) and kept in <runDir>/session-secret. */
  sessionSecret?: string;
  demoPassword?: string;
  /** Extra environment for every node (e.g. OVERLOAD_MAX_IN_FLIGHT in a test). */
  nodeEnv?: NodeJS.ProcessEnv;
  /** Progress lines (the CLI prints them); silent by default. */
  log?: (line: string) => void;
}

export interface ClusterNode {
  id: string;
  host: string;
  port: number;
  url: string;
  logFile: string;
}

const DEFAULTS = {
  databaseUrl: 'mysql://root@127.0.0.1:3306/sis_cluster',
  redisUrl: 'redis://127.0.0.1:6379',
  nginxPort: 8080,
  hosts: ['127.0.0.11', '127.0.0.12', '127.0.0.13'],
  appPort: 3000,
  runDir: path.join(REPO_ROOT, 'run', 'cluster'),
  demoPassword: 'demo-password',
  nodeEnv: {},
};

function sessionSecretIn(runDir: string): string {
  const file = path.join(runDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** This process's environment without what would change a node's meaning (production refuses DEMO_PASSWORD). */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DEMO_PASSWORD', 'SQLITE_FILE', 'NODE_ID', 'HOST', 'PORT']) delete env[name];
  return env;
}

export class Cluster {
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  readonly runDir: string;
  readonly logDir: string;
  readonly nginxDir: string;
  private readonly options: Required<Omit<ClusterOptions, 'log'>>;
  private readonly log: (line: string) => void;
  private readonly children = new Map<string, ChildProcess>();
  /** Processes the cluster itself is stopping: their exit is not reported as a crash. */
  private readonly stopping = new WeakSet<ChildProcess>();
  private stopped = false;

  constructor(options: ClusterOptions = {}) {
    const runDir = path.resolve(options.runDir ?? DEFAULTS.runDir);
    fs.mkdirSync(runDir, { recursive: true });
    this.options = {
      databaseUrl: options.databaseUrl ?? DEFAULTS.databaseUrl,
      redisUrl: options.redisUrl ?? DEFAULTS.redisUrl,
      nginxPort: options.nginxPort ?? DEFAULTS.nginxPort,
      hosts: options.hosts ?? DEFAULTS.hosts,
      appPort: options.appPort ?? DEFAULTS.appPort,
      runDir,
      sessionSecret: options.sessionSecret ?? sessionSecretIn(runDir),
      demoPassword: options.demoPassword ?? DEFAULTS.demoPassword,
      nodeEnv: options.nodeEnv ?? DEFAULTS.nodeEnv,
    };
    this.log = options.log ?? (() => {});
    this.runDir = runDir;
    this.logDir = path.join(runDir, 'logs');
    this.nginxDir = path.join(runDir, 'nginx');
    this.url = `http://127.0.0.1:${this.options.nginxPort}`;
    this.nodes = this.options.hosts.map((host, i) => ({
      id: `node-${i + 1}`,
      host,
      port: this.options.appPort,
      url: `http://${host}:${this.options.appPort}`,
      logFile: path.join(this.logDir, `node-${i + 1}.log`),
    }));
  }

  /** Prepares the database, starts the nodes, then nginx; on any failure stops what it started. */
  async start(): Promise<void> {
    try {
      await this.boot();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private async boot(): Promise<void> {
    const { nginxPort, databaseUrl, demoPassword } = this.options;
    await assertPortFree('127.0.0.1', nginxPort);
    await Promise.all(this.nodes.map((n) => assertPortFree(n.host, n.port)));

    // The one-shot steps read the same config as a node: production needs SESSION_SECRET.
    const env = { ...baseEnv(), SESSION_SECRET: this.options.sessionSecret };
    const db = await prepareDatabase({ databaseUrl, demoPassword, env, logDir: this.logDir });
    const dbName = new URL(databaseUrl).pathname.slice(1);
    this.log(`database ${dbName}: ${db.created ? 'created, ' : ''}migrated${db.seeded ? ', demo data seeded' : ''}`);

    await Promise.all(this.nodes.map((_, i) => this.startNode(i + 1)));
    this.log(`nodes ready: ${this.nodes.map((n) => `${n.id} ${n.host}:${n.port}`).join(', ')}`);

    const files = writeNginxConf(
      this.nginxDir,
      nativeNginxVars({ nginxPort, upstreams: this.nodes.map((n) => `${n.host}:${n.port}`) }),
    );
    testNginxConf(files);
    const logFile = path.join(this.logDir, 'nginx.log');
    this.spawn('nginx', NGINX_BIN, nginxArgs(files), process.env, logFile);
    await waitForHttp(`${this.url}/healthz`, { child: this.children.get('nginx'), logFile });
    this.log(`nginx ready: ${this.url}`);
  }

  private spawn(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
    if (this.stopped) throw new Error(`the cluster is stopping: ${name} not started`);
    const child = spawnLogged({ name, command, args, env, cwd: REPO_ROOT, logFile });
    child.once('error', (err) => this.log(`${name}: ${err.message}`));
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    this.children.set(name, child);
    writePidFile(this.runDir, name, child.pid);
    const pid = child.pid;
    child.once('exit', (code, signal) => {
      // A PID file names a live process only; a restarted node has written its own by now.
      if (this.children.get(name) === child) removePidFile(this.runDir, name);
      if (!this.stopping.has(child)) this.log(`${name} (pid ${pid}) exited unexpectedly: ${signal ?? `code ${code}`}`);
    });
    return child;
  }

  private node(n: number): ClusterNode {
    const node = this.nodes[n - 1];
    if (!node) throw new Error(`no node ${n}: nodes are numbered 1..${this.nodes.length} (as NODE_ID node-n)`);
    return node;
  }

  /** The PID of node n (1-based, as NODE_ID node-n), or undefined when it is not running. */
  pidOf(n: number): number | undefined {
    const child = this.children.get(this.node(n).id);
    return child && !hasExited(child) ? child.pid : undefined;
  }

  /**
   * Starts node n (1-based) and resolves once its /readyz answers 200 and, when nginx is running, once
   * nginx sends it requests again (see waitUntilServing): then the next node of a rolling restart may go.
   */
  async startNode(n: number): Promise<void> {
    const node = this.node(n);
    const running = this.children.get(node.id);
    if (running && !hasExited(running)) throw new Error(`${node.id} is already running (pid ${running.pid})`);
    const { databaseUrl, redisUrl, sessionSecret } = this.options;
    const env: NodeJS.ProcessEnv = {
      ...baseEnv(),
      NODE_ENV: 'production',
      NODE_ID: node.id,
      HOST: node.host,
      PORT: String(node.port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      SESSION_SECRET: sessionSecret,
      LOG_LEVEL: 'info',
      TRUST_PROXY: 'loopback',
      ...this.options.nodeEnv,
    };
    const child = this.spawn(node.id, process.execPath, [SERVER_JS], env, node.logFile);
    await waitForHttp(`${node.url}/readyz`, { child, logFile: node.logFile });
    const nginx = this.children.get('nginx');
    if (nginx && !hasExited(nginx)) await this.waitUntilServing(n);
  }

  /**
   * Resolves once nginx sends requests to node n again. After a failure nginx leaves a server out for
   * its fail_timeout, so a rolling restart waits for this before stopping the next node.
   */
  async waitUntilServing(n: number, timeoutMs = 15_000): Promise<void> {
    const { id } = this.node(n);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const res = await httpRequest(`${this.url}/healthz`).catch(() => undefined);
      if (res?.headers['x-served-by'] === id) return;
      await sleep(100);
    }
    throw new Error(`nginx sent no request to ${id} within ${timeoutMs} ms`);
  }

  /** Stops node n (1-based): SIGTERM drains it, SIGKILL is a crash. Resolves when the process has exited. */
  async stopNode(n: number, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.children.get(this.node(n).id);
    if (!child || hasExited(child)) return;
    this.stopping.add(child);
    child.kill(signal);
    await exitOf(child, 20_000);
  }

  /** nginx quits gracefully first (no new requests reach the nodes), then every node drains. */
  async stop(): Promise<void> {
    this.stopped = true;
    const nginx = this.children.get('nginx');
    if (nginx) {
      this.stopping.add(nginx);
      await stopChild(nginx, 'SIGQUIT');
    }
    await Promise.all(
      [...this.children.entries()]
        .filter(([name]) => name !== 'nginx')
        .map(([, child]) => {
          this.stopping.add(child);
          return stopChild(child, 'SIGTERM');
        }),
    );
    for (const name of this.children.keys()) removePidFile(this.runDir, name);
  }
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const cluster = new Cluster(options);
  await cluster.start();
  return cluster;
}
