// `npm run cluster [-- up|down]`: `up` (the default) runs the native cluster in the foreground until
// Ctrl-C or SIGTERM; `down`, from another shell, stops a cluster by the PID files in run/cluster/.
// CLUSTER_DATABASE_URL, CLUSTER_REDIS_URL and CLUSTER_NGINX_PORT override the defaults.
import path from 'node:path';
import { Cluster } from './cluster';
import { commandLineOf, readPidFiles, removePidFile, stopPid, writePidFile } from './processes';
import { REPO_ROOT } from './render-nginx';

const RUN_DIR = path.join(REPO_ROOT, 'run', 'cluster');
const CLI_MARK = path.join('scripts', 'cluster', 'cli.ts');
const rel = (p: string) => path.relative(process.cwd(), p) || '.';

/** What a PID file's process must be running, so that `down` never signals a reused PID. */
function expectedCommand(name: string): string {
  if (name === 'cli') return CLI_MARK;
  if (name === 'nginx') return 'nginx';
  return path.join('dist', 'src', 'server.js');
}

function liveCluster(): Map<string, number> {
  const live = new Map<string, number>();
  for (const [name, pid] of readPidFiles(RUN_DIR)) {
    if (pid !== process.pid && commandLineOf(pid).includes(expectedCommand(name))) live.set(name, pid);
  }
  return live;
}

async function up(): Promise<void> {
  const running = liveCluster();
  if (running.size > 0) {
    const list = [...running].map(([name, pid]) => `${name} (pid ${pid})`).join(', ');
    throw new Error(`a cluster is already running: ${list}\nstop it with: npm run cluster -- down`);
  }
  const env = process.env;
  const cluster = new Cluster({
    runDir: RUN_DIR,
    databaseUrl: env.CLUSTER_DATABASE_URL || undefined,
    redisUrl: env.CLUSTER_REDIS_URL || undefined,
    nginxPort: env.CLUSTER_NGINX_PORT ? Number(env.CLUSTER_NGINX_PORT) : undefined,
    log: (line) => console.log(line),
  });
  writePidFile(RUN_DIR, 'cli', process.pid);
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      console.log(`\n${signal}: stopping the cluster...`);
      await cluster.stop();
      removePidFile(RUN_DIR, 'cli');
      console.log('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    await cluster.start();
  } catch (err) {
    if (stopping) return; // Ctrl-C during start-up: stop() is already under way
    removePidFile(RUN_DIR, 'cli');
    throw err;
  }

  console.log(`\nCluster SIS is up: ${cluster.url}   (sign in as admin / demo-password on a new database)`);
  for (const [i, node] of cluster.nodes.entries()) {
    console.log(`  ${node.id}  ${node.url}  pid ${cluster.pidOf(i + 1)}`);
  }
  console.log(`  logs    ${rel(cluster.logDir)}/ (one file per process)`);
  console.log(`  nginx   ${rel(cluster.nginxDir)}/ (nginx.conf, sis.conf, access.log, error.log)`);
  console.log('stop with: npm run cluster -- down   (or Ctrl-C here)');
}

async function down(): Promise<void> {
  const live = liveCluster();
  if (live.size === 0) {
    console.log('no cluster is running');
  }
  // The foreground `up` stops its own processes in order; whatever is left is stopped by PID.
  const cli = live.get('cli');
  if (cli !== undefined) {
    await stopPid(cli, 'SIGTERM', 40_000);
    console.log(`stopped cluster CLI (pid ${cli})`);
  }
  // Left over when `up` died without cleaning up: nginx first (no new requests), then the nodes.
  const rest = liveCluster();
  rest.delete('cli');
  const stopOne = async (name: string, pid: number) => {
    await stopPid(pid, name === 'nginx' ? 'SIGQUIT' : 'SIGTERM');
    console.log(`stopped ${name} (pid ${pid})`);
  };
  const nginx = rest.get('nginx');
  if (nginx !== undefined) await stopOne('nginx', nginx);
  rest.delete('nginx');
  await Promise.all([...rest].map(([name, pid]) => stopOne(name, pid)));
  for (const name of readPidFiles(RUN_DIR).keys()) removePidFile(RUN_DIR, name);
}

const command = process.argv[2] ?? 'up';
const commands: Record<string, () => Promise<void>> = { up, down };
const run = commands[command];
if (!run) {
  console.error(`usage: npm run cluster -- [up|down]   (got "${command}")`);
  process.exit(2);
} else {
  run().catch((err: Error) => {
    console.error(`cluster ${command} failed: ${err.message}`);
    process.exit(1);
  });
}
