// The deploy files (Dockerfile, docker-compose.yml, .env.example, deploy/kubernetes/) checked without a
// Docker engine or network: read as text, validated by `docker-compose config`, parsed as YAML. In the
// cluster suite because it needs a system tool (Debian's docker-compose), like nginx for the others.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

const ROOT = path.resolve(__dirname, '../..');
const K8S_DIR = path.join(ROOT, 'deploy/kubernetes');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---------------------------------------------------------------------------------------------------
// Dockerfile

interface Instruction {
  keyword: string;
  args: string;
  /** Which build stage it belongs to: 0 from the first FROM on. */
  stage: number;
  /** ENV / ARG as [name, value] pairs: `A=1 B=2`, `A 1`, or a bare `ARG A` (value undefined). */
  vars: [string, string | undefined][];
}

/** Instructions in order, with comments dropped and line continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '');
  let stage = -1;
  return lines.map((line) => {
    const [, word, args] = /^(\S+)\s*(.*)$/.exec(line.trim())!;
    const keyword = word!.toUpperCase();
    if (keyword === 'FROM') stage++;
    const pairs = [...args!.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)].map(
      (m) => [m[1]!, m[2]!.replace(/^["']|["']$/g, '')] as [string, string],
    );
    const [name, ...rest] = args!.split(/\s+/);
    const bare: [string, string | undefined][] = [[name!, rest.length ? rest.join(' ') : undefined]];
    const vars = keyword === 'ENV' || keyword === 'ARG' ? (pairs.length > 0 ? pairs : bare) : [];
    return { keyword, args: args!, stage, vars };
  });
}

describe('Dockerfile', () => {
  const instructions = parseDockerfile(read('Dockerfile'));
  const froms = instructions.filter((i) => i.keyword === 'FROM');
  const final = instructions.filter((i) => i.stage === froms.length - 1);

  it('builds in several stages', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
  });

  it('pins every base image to a numbered version, never latest', () => {
    for (const from of froms) {
      const image = from.args.split(/\s+/).find((word) => !word.startsWith('--'))!;
      expect(image).not.toMatch(/:latest$/);
      expect(image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    }
    expect(new Set(froms.map((f) => f.args.split(/\s+/)[0])).size).toBe(1);
  });

  it('installs with npm ci, builds, and keeps only production dependencies', () => {
    const runs = instructions
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build/);
    expect(runs).toMatch(/--omit=dev/);
  });

  it('ships package.json, production node_modules, dist, views and public in the final stage', () => {
    const copies = final.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    for (const wanted of ['package.json', 'node_modules', 'dist', 'views', 'public']) {
      expect(copies.some((args) => args.split(/\s+/).some((word) => word.replace(/^\/app\//, '') === wanted))).toBe(
        true,
      );
    }
    const env = final.filter((i) => i.keyword === 'ENV').flatMap((i) => i.vars);
    expect(env).toContainEqual(['NODE_ENV', 'production']);
  });

  it('runs the final stage as a non-root user', () => {
    const users = final.filter((i) => i.keyword === 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]!.args.split(':')[0]!.trim();
    expect(['root', '0', '']).not.toContain(user);
  });

  it('exposes 3000 and probes /healthz with node itself', () => {
    expect(final).toContainEqual(expect.objectContaining({ keyword: 'EXPOSE', args: '3000' }));
    const healthcheck = final.find((i) => i.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/CMD \["node",/);
    expect(healthcheck?.args).toContain('/healthz');
  });

  it('starts node directly (exec form) on dist/src/server.js, so SIGTERM reaches the app', () => {
    const cmds = final.filter((i) => i.keyword === 'CMD');
    expect(JSON.parse(cmds[cmds.length - 1]!.args)).toEqual(['node', 'dist/src/server.js']);
    expect(final.some((i) => i.keyword === 'ENTRYPOINT')).toBe(false);
    // dist/src/server.js and dist/src/cli.js (compose's migrate command) come from these sources.
    expect(fs.existsSync(path.join(ROOT, 'src/server.ts'))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'src/cli.ts'))).toBe(true);
  });

  it('bakes in no secret', () => {
    const secretName = /SECRET|PASSWORD|TOKEN|PASSWD|API_KEY|PRIVATE_KEY/i;
    for (const i of instructions.filter((x) => x.keyword === 'ENV' || x.keyword === 'ARG')) {
      for (const [name, value] of i.vars) {
        if (secretName.test(name)) expect({ name, value: value ?? '' }).toEqual({ name, value: '' });
      }
    }
  });
});

describe('.dockerignore', () => {
  const entries = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim().replace(/^\/|\/$/g, ''))
    .filter((l) => l && !l.startsWith('#'));

  it.each(['node_modules', '.env', '.git', 'dist', 'data'])('keeps %s out of the build context', (entry) => {
    expect(entries).toContain(entry);
  });
});

// ---------------------------------------------------------------------------------------------------
// docker-compose.yml

const INSTALL_HINT =
  'docker-compose (the Debian package, 1.29) validates docker-compose.yml without a Docker engine; ' +
  'install it with `apt-get install docker-compose`';

/** `docker-compose config` output, interpolated from .env.example only (not from this shell). */
function composeConfig(): Doc {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  const result = spawnSync(
    'docker-compose',
    ['-f', 'docker-compose.yml', '--env-file', '.env.example', '--profile', 'demo', 'config'],
    { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 },
  );
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    const where = process.env.CI === 'true' ? 'CI: the docker-compose binary is missing. ' : '';
    throw new Error(missing ? `${where}${INSTALL_HINT}` : `docker-compose failed to run: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(`docker-compose config exited ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  return yaml.load(result.stdout) as Doc;
}

/** "8080:80" or {published, target}, as "published:target". */
const portMapping = (port: unknown) =>
  typeof port === 'string' ? port : `${(port as Doc).published}:${(port as Doc).target}`;
const healthTest = (service: Doc) => [service.healthcheck?.test].flat().join(' ');
const volumeSources = (service: Doc) =>
  (service.volumes ?? []).map((v: string | Doc) => (typeof v === 'string' ? v.split(':')[0] : v.source));

describe('docker-compose.yml', () => {
  let config: Doc;
  let services: Doc;

  beforeAll(() => {
    config = composeConfig();
    services = config.services;
  }, 60_000);

  it('passes `docker-compose config` and defines the whole cluster', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['app1', 'app2', 'app3', 'migrate', 'mysql', 'nginx', 'redis', 'seed'].sort(),
    );
    expect(Object.keys(config.volumes ?? {})).toEqual(expect.arrayContaining(['mysql-data', 'redis-data']));
  });

  it('runs MySQL 5.7 in utf8mb4 on a named volume, with a health check', () => {
    const mysql = services.mysql;
    expect(mysql.image).toMatch(/^mysql:5\.7\.\d+$/);
    const command = [mysql.command].flat().join(' ');
    expect(command).toContain('--character-set-server=utf8mb4');
    expect(command).toContain('--collation-server=utf8mb4_unicode_ci');
    expect(healthTest(mysql)).toContain('mysqladmin ping');
    expect(volumeSources(mysql)).toContain('mysql-data');
    for (const name of ['MYSQL_DATABASE', 'MYSQL_USER', 'MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD']) {
      expect(mysql.environment[name]).toBeTruthy();
    }
  });

  it('runs Redis 7 with the append-only file on a named volume, with a health check', () => {
    const redis = services.redis;
    expect(redis.image).toMatch(/^redis:7\.\d+\.\d+/);
    expect([redis.command].flat().join(' ')).toMatch(/--appendonly yes/);
    expect(healthTest(redis)).toContain('redis-cli ping');
    expect(volumeSources(redis)).toContain('redis-data');
  });

  it('migrates once, as its own one-shot step, after MySQL is healthy', () => {
    const migrate = services.migrate;
    expect(migrate.command).toEqual(['node', 'dist/src/cli.js', 'migrate']);
    expect(migrate.depends_on.mysql.condition).toBe('service_healthy');
    expect(migrate.restart).toBe('no');
  });

  it('runs three app nodes from one image, differing only by NODE_ID', () => {
    const apps = ['app1', 'app2', 'app3'].map((name) => services[name]);
    const withoutNodeId = (app: Doc) => ({ ...app, environment: { ...app.environment, NODE_ID: undefined } });
    expect(withoutNodeId(apps[1]!)).toEqual(withoutNodeId(apps[0]!));
    expect(withoutNodeId(apps[2]!)).toEqual(withoutNodeId(apps[0]!));
    expect(new Set(apps.map((a) => a.environment.NODE_ID))).toEqual(new Set(['app1', 'app2', 'app3']));
    // migrate (and seed) run that same image.
    expect(services.migrate.image).toBe(apps[0]!.image);
    expect(services.seed.image).toBe(apps[0]!.image);
  });

  it('starts the nodes after the migration succeeded and the database and Redis are healthy', () => {
    const app = services.app1;
    expect(app.depends_on).toEqual({
      migrate: expect.objectContaining({ condition: 'service_completed_successfully' }),
      mysql: expect.objectContaining({ condition: 'service_healthy' }),
      redis: expect.objectContaining({ condition: 'service_healthy' }),
    });
    expect(app.restart).toBe('unless-stopped');
    expect(app.stop_grace_period).toBe('25s'); // above the node's own 20 s shutdown bound
    expect(healthTest(app)).toMatch(/\/(healthz|readyz)/);
    expect(app.build).toBeDefined();
    expect(app.ports).toBeUndefined();
  });

  it('gives the nodes MySQL, Redis, the session secret and production mode', () => {
    const env = services.app1.environment;
    expect(env.DATABASE_URL).toMatch(/^mysql:\/\/[^:]+:[^@]+@mysql:3306\/\w+$/);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.SESSION_SECRET).toBeTruthy();
    expect(env.NODE_ENV).toBe('production');
    expect(env.TRUST_PROXY).toBeTruthy();
    // The URL is built from the same values MySQL is created with.
    const mysql = services.mysql.environment;
    expect(env.DATABASE_URL).toBe(
      `mysql://${mysql.MYSQL_USER}:${mysql.MYSQL_PASSWORD}@mysql:3306/${mysql.MYSQL_DATABASE}`,
    );
  });

  it('puts nginx on host port 8080 with the shared template and only SIS_* substituted', () => {
    const nginx = services.nginx;
    const [, minor, patch] = /^nginx:1\.(\d+)\.(\d+)-alpine$/.exec(nginx.image)!.map(Number);
    expect(minor! > 27 || (minor === 27 && patch! >= 3)).toBe(true); // upstream `resolve` needs 1.27.3
    expect((nginx.ports ?? []).map(portMapping)).toEqual(['8080:80']);
    const mounts = (nginx.volumes as (string | Doc)[]).map((v) =>
      typeof v === 'string' ? v : `${v.source}:${v.target}${v.read_only ? ':ro' : ''}`,
    );
    expect(mounts).toContain(
      `${path.join(ROOT, 'nginx/sis.conf.template')}:/etc/nginx/templates/default.conf.template:ro`,
    );
    expect(mounts).toContain(`${path.join(ROOT, 'public')}:/srv/sis/public:ro`);
    expect(nginx.environment).toEqual({
      NGINX_ENVSUBST_FILTER: '^SIS_',
      SIS_LISTEN: '80',
      SIS_UPSTREAM_1: 'app1:3000 resolve',
      SIS_UPSTREAM_2: 'app2:3000 resolve',
      SIS_UPSTREAM_3: 'app3:3000 resolve',
      SIS_RESOLVER: '127.0.0.11',
      SIS_STATIC_ROOT: '/srv/sis/public',
    });
    for (const app of ['app1', 'app2', 'app3']) {
      expect(nginx.depends_on[app].condition).toBe('service_healthy');
    }
    expect(healthTest(nginx)).toContain('http://127.0.0.1:80/');
    expect(nginx.restart).toBe('unless-stopped');
    expect(nginx.healthcheck).toBeDefined();
  });

  it('sets exactly the SIS_* variables the nginx template uses', () => {
    const template = read('nginx/sis.conf.template');
    const used = new Set([...template.matchAll(/\$\{(SIS_[A-Z0-9_]+)\}/g)].map((m) => m[1]!));
    const set = new Set(Object.keys(services.nginx.environment).filter((name) => name.startsWith('SIS_')));
    expect([...set].sort()).toEqual([...used].sort());
    // The health check asks nginx's own status page, which the template opens to 127.0.0.1.
    expect(template).toMatch(/location = \/nginx_status \{[^}]*stub_status;[^}]*allow 127\.0\.0\.1;/);
    expect(healthTest(services.nginx)).toContain('/nginx_status');
  });

  it('keeps the demo seed behind the demo profile, with its own DEMO_PASSWORD', () => {
    const seed = services.seed;
    expect(seed.profiles).toEqual(['demo']);
    expect(seed.command).toEqual(['node', 'dist/src/cli.js', 'seed']);
    expect(seed.environment.DEMO_PASSWORD).toBeTruthy();
    expect(seed.depends_on.migrate.condition).toBe('service_completed_successfully');
  });
});

describe('.env.example', () => {
  const vars = new Map(
    read('.env.example')
      .split('\n')
      .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]),
  );

  it('names every variable docker-compose.yml interpolates', () => {
    const used = [...read('docker-compose.yml').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    for (const name of new Set(used)) expect([name, vars.has(name)]).toEqual([name, true]);
  });

  it('holds placeholders, never real secrets, and says how to make them', () => {
    for (const [name, value] of vars) {
      if (/SECRET|PASSWORD|TOKEN/.test(name)) expect([name, value]).toEqual([name, 'change-me']);
      expect([name, /[0-9a-f]{24,}|[A-Za-z0-9+/]{32,}={0,2}/.test(value)]).toEqual([name, false]);
    }
    expect(read('.env.example')).toContain('openssl rand -hex 32');
  });
});

// ---------------------------------------------------------------------------------------------------
// deploy/kubernetes

describe('Kubernetes manifests', () => {
  const files = fs.readdirSync(K8S_DIR).filter((f) => /\.ya?ml$/.test(f));
  let docs: Doc[] = [];

  beforeAll(() => {
    docs = files.flatMap((file) => {
      try {
        return yaml
          .loadAll(fs.readFileSync(path.join(K8S_DIR, file), 'utf8'))
          .filter((d): d is Doc => d !== null && d !== undefined)
          .map((d) => ({ ...d, __file: file }));
      } catch (err) {
        throw new Error(`deploy/kubernetes/${file} does not parse: ${(err as Error).message}`);
      }
    });
  });

  const find = (kind: string) => {
    const found = docs.filter((d) => d.kind === kind);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it('parses every manifest into named objects in the cluster-sis namespace', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const doc of docs) {
      expect([doc.__file, typeof doc.apiVersion, typeof doc.kind, typeof doc.metadata?.name]).toEqual([
        doc.__file,
        'string',
        'string',
        'string',
      ]);
      if (doc.kind !== 'Namespace') expect([doc.__file, doc.metadata.namespace]).toEqual([doc.__file, 'cluster-sis']);
    }
    expect(docs.map((d) => d.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Ingress', 'Job', 'Namespace', 'PodDisruptionBudget', 'Secret', 'Service'].sort(),
    );
  });

  it('runs three replicas, ready on /readyz, alive on /healthz, with a startup probe', () => {
    const deployment = find('Deployment');
    expect(deployment.spec.replicas).toBe(3);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.startupProbe.httpGet).toBeDefined();
    expect(container.ports).toContainEqual(expect.objectContaining({ containerPort: 3000 }));
  });

  it('stops gracefully: preStop sleep, then SIGTERM within the grace period', () => {
    const pod = find('Deployment').spec.template.spec;
    const container = pod.containers[0];
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    // preStop (5 s) plus the app's 10-second shutdown timeout must fit.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
  });

  it('runs as non-root with resource requests and limits, NODE_ID from the pod name', () => {
    for (const kind of ['Deployment', 'Job']) {
      const pod = find(kind).spec.template.spec;
      const container = pod.containers[0];
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.anything() }));
      expect(container.resources.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
      expect(container.env).toContainEqual({
        name: 'NODE_ID',
        valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
      });
      expect(container.envFrom).toEqual([
        { configMapRef: { name: find('ConfigMap').metadata.name } },
        { secretRef: { name: find('Secret').metadata.name } },
      ]);
    }
  });

  it('migrates in a Job from the same pinned image as the Deployment', () => {
    const job = find('Job');
    const migrate = job.spec.template.spec.containers[0];
    const app = find('Deployment').spec.template.spec.containers[0];
    expect(migrate.command).toEqual(['node', 'dist/src/cli.js', 'migrate']);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(migrate.image).toBe(app.image);
    expect(app.image).toMatch(/:[0-9][\w.-]*$/);
    expect(app.image).not.toMatch(/:latest$/);
  });

  it('wires Service, Ingress and PodDisruptionBudget to the app pods', () => {
    const podLabels = find('Deployment').spec.template.metadata.labels;
    const service = find('Service');
    expect(podLabels).toEqual(expect.objectContaining(service.spec.selector));
    expect(find('Deployment').spec.selector.matchLabels).toEqual(service.spec.selector);
    const pdb = find('PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBe(2);
    expect(pdb.spec.selector.matchLabels).toEqual(service.spec.selector);
    const backend = find('Ingress').spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p: Doc) => p.name)).toContain(backend.port.name);
  });

  it('ships only a placeholder Secret', () => {
    const secret = find('Secret');
    expect(secret.__file).toBe('secret.example.yaml');
    expect(Object.keys(secret.stringData).sort()).toEqual(['DATABASE_URL', 'REDIS_URL', 'SESSION_SECRET']);
    expect(secret.stringData.SESSION_SECRET).toBe('change-me');
    expect(secret.stringData.DATABASE_URL).toContain(':change-me@');
    expect(secret.data).toBeUndefined();
  });
});
