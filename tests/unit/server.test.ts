// `npm start` as a person sees it: the real server process on the embedded default (its own SQLite file),
// on a free port, read from its stdout. Each test stops the one child it started.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const START_MS = 25_000;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Run {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** Resolves with stdout so far once `pattern` has appeared in it; rejects when the child exits or time runs out. */
  waitFor: (pattern: RegExp) => Promise<string>;
  stop: () => Promise<string>;
}

async function startServer(dir: string, env: Record<string, string>): Promise<Run> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      PORT: String(port),
      HOST: '127.0.0.1',
      SQLITE_FILE: path.join(dir, 'sis.sqlite3'),
      NODE_ID: 'start-up-test',
      PASSWORD_HASH_CONCURRENCY: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitFor = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`no ${pattern} within ${START_MS} ms:\n${stdout}${stderr}`)),
        START_MS,
      );
      const check = () => {
        if (pattern.test(stdout)) done();
      };
      const onExit = () => done(new Error(`the server exited before ${pattern}:\n${stdout}${stderr}`));
      function done(err?: Error) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(stdout);
      }
      child.stdout!.on('data', check);
      child.once('exit', onExit);
      check();
    });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    return stdout;
  };
  return { child, port, output: () => stdout, waitFor, stop };
}

describe('npm start on the embedded default', () => {
  let dir: string;
  let run: Run | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sis-start-up-'));
  });
  afterEach(async () => {
    await run?.stop();
    run = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints one plain line with the address and the demo accounts once it listens', async () => {
    run = await startServer(dir, { NODE_ENV: 'development', DEMO_PASSWORD: 'start-up-demo-pw' });
    const stdout = await run.waitFor(/Cluster SIS is running.*\n/);
    const lines = stdout.split('\n');
    const line = lines.find((l) => l.startsWith('Cluster SIS is running'))!;
    expect(line).toBe(
      `Cluster SIS is running at http://127.0.0.1:${run.port} — sign in as admin / staff / student with password start-up-demo-pw`,
    );
    // After the JSON "listening" line, and the JSON lines stay JSON.
    const listening = lines.findIndex((l) => l.includes('"msg":"listening"'));
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf(line)).toBeGreaterThan(listening);
    for (const l of lines.filter((l) => l.startsWith('{'))) expect(() => JSON.parse(l) as unknown).not.toThrow();
    const health = await fetch(`http://127.0.0.1:${run.port}/healthz`);
    expect(health.status).toBe(200);
  });

  it('prints no demo password in production', async () => {
    run = await startServer(dir, { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    await run.waitFor(/"msg":"listening"/);
    expect((await fetch(`http://127.0.0.1:${run.port}/healthz`)).status).toBe(200);
    const stdout = await run.stop();
    expect(stdout).not.toContain('Cluster SIS is running');
    expect(stdout).not.toContain('password');
    expect(
      stdout
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('{')),
    ).toBe(true);
  });
});
