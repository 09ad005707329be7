// A Redis and a MariaDB of the cluster tests' own, from this machine's binaries, on their own ports and
// folders: the outage tests stop and start them without touching the machine's shared services.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export interface PrivateService {
  url: string;
  start(): Promise<void>;
  /** SIGTERM: Redis writes its append-only file, MariaDB shuts down cleanly. */
  stop(): Promise<void>;
}

abstract class Managed implements PrivateService {
  private child?: ChildProcess;
  abstract url: string;
  constructor(
    protected readonly dir: string,
    protected readonly port: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }
  protected abstract command(): [string, string[]];

  async start(): Promise<void> {
    const [bin, args] = this.command();
    const log = fs.openSync(path.join(this.dir, 'server.log'), 'a');
    this.child = spawn(bin, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    await waitForPort(this.port);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill('SIGTERM');
    await exited(child);
  }
}

export class PrivateRedis extends Managed {
  readonly url = `redis://127.0.0.1:${this.port}`;
  protected command(): [string, string[]] {
    return [
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--dir',
        this.dir,
      ],
    ];
  }
}

export class PrivateMariadb extends Managed {
  readonly url = `mysql://root@127.0.0.1:${this.port}/sis_failover`;
  private installed = false;

  protected command(): [string, string[]] {
    return [
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${path.join(this.dir, 'data')}`,
        '--user=root',
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${path.join(this.dir, 'mysqld.pid')}`,
        '--skip-grant-tables', // a throwaway instance on loopback: no accounts to manage
        '--innodb-buffer-pool-size=64M',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
      ],
    ];
  }

  override async start(): Promise<void> {
    if (!this.installed) {
      await new Promise<void>((resolve, reject) => {
        const install = spawn(
          'mariadb-install-db',
          ['--no-defaults', `--datadir=${path.join(this.dir, 'data')}`, '--user=root', '--skip-test-db'],
          {
            stdio: 'ignore',
          },
        );
        install.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`mariadb-install-db exited ${code}`)),
        );
      });
      this.installed = true;
    }
    await super.start();
  }
}
