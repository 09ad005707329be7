// Child processes of the cluster: spawned with their output in a log file, tracked by PID files so that
// another shell (`cli.ts down`) can stop them, waited for on exit and on an HTTP probe.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest } from './http';

export interface SpawnSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}

/** Starts a process in its own process group (Ctrl-C reaches the CLI only, which stops it in order). */
export function spawnLogged(spec: SpawnSpec): ChildProcess {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  const fd = fs.openSync(spec.logFile, 'a');
  try {
    fs.writeSync(fd, `\n--- ${new Date().toISOString()} ${spec.name}: ${spec.command} ${spec.args.join(' ')}\n`);
    return spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs a command to completion with its output in the log file; rejects with the log's tail on failure. */
export async function runLogged(spec: SpawnSpec, timeoutMs = 120_000): Promise<void> {
  const child = spawnLogged(spec);
  const code = await exitOf(child, timeoutMs).catch((err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });
  if (code !== 0) throw new Error(`${spec.name} failed (exit ${code}):\n${logTail(spec.logFile)}`);
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with the exit code (or signal name) once the process has exited. */
export function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | string> {
  if (hasExited(child)) return Promise.resolve(child.exitCode ?? child.signalCode ?? 0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`pid ${child.pid} still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? 0);
    });
  });
}

/** Sends `signal`, waits for the exit, and sends SIGKILL if it has not happened within `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
  if (hasExited(child)) return;
  child.kill(signal);
  try {
    await exitOf(child, graceMs);
  } catch {
    child.kill('SIGKILL');
    await exitOf(child, 5_000);
  }
}

export function logTail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** Polls `url` until it answers `status`; fails early when `child` exits, quoting its log. */
export async function waitForHttp(
  url: string,
  opts: { status?: number; timeoutMs?: number; child?: ChildProcess; logFile?: string } = {},
): Promise<void> {
  const { status = 200, timeoutMs = 30_000, child, logFile } = opts;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child && hasExited(child)) {
      const tail = logFile ? `\n${logTail(logFile)}` : '';
      throw new Error(
        `process ${child.pid} exited (${child.exitCode ?? child.signalCode}) before ${url} answered${tail}`,
      );
    }
    try {
      const res = await httpRequest(url, { timeoutMs: 2_000 });
      if (res.status === status) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/** Throws when something already listens on host:port (a cluster left running, another server). */
export function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error(`${host}:${port} is already in use (a cluster still running? npm run cluster -- down)`));
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', () => resolve());
  });
}

// PID files: <runDir>/<name>.pid, one per process, removed when the process is stopped.

export function writePidFile(runDir: string, name: string, pid: number): void {
  fs.writeFileSync(path.join(runDir, `${name}.pid`), `${pid}\n`);
}

export function removePidFile(runDir: string, name: string): void {
  fs.rmSync(path.join(runDir, `${name}.pid`), { force: true });
}

export function readPidFiles(runDir: string): Map<string, number> {
  const pids = new Map<string, number>();
  if (!fs.existsSync(runDir)) return pids;
  for (const file of fs.readdirSync(runDir).filter((f) => f.endsWith('.pid'))) {
    const pid = Number(fs.readFileSync(path.join(runDir, file), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) pids.set(file.slice(0, -'.pid'.length), pid);
  }
  return pids;
}

/** The command line of a live process, '' when there is none (guards against a reused PID). */
export function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** For a process this one did not start: signal it by PID, wait, SIGKILL after `graceMs`. */
export async function stopPid(pid: number, signal: NodeJS.Signals, graceMs = 15_000): Promise<boolean> {
  if (!isAlive(pid)) return false;
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return true;
}
