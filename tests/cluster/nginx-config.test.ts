// The one nginx template, rendered as the native cluster and as compose render it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testNginxConf, writeNginxConf } from '../../scripts/cluster/nginx-conf';
import { nativeNginxVars, renderNginx, TEMPLATE_PATH } from '../../scripts/cluster/render-nginx';

const NATIVE = nativeNginxVars({
  nginxPort: 8080,
  upstreams: ['127.0.0.11:3000', '127.0.0.12:3000', '127.0.0.13:3000'],
});
const COMPOSE = {
  SIS_LISTEN: '80',
  SIS_UPSTREAM_1: 'app1:3000 resolve',
  SIS_UPSTREAM_2: 'app2:3000 resolve',
  SIS_UPSTREAM_3: 'app3:3000 resolve',
  SIS_RESOLVER: '127.0.0.11',
  SIS_STATIC_ROOT: '/srv/sis/public',
};

function upstreamServers(conf: string, name = 'sis_app'): string[] {
  const block = new RegExp(`upstream ${name} \\{([\\s\\S]*?)\\n\\}`).exec(conf)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('server '));
}

describe('the nginx template', () => {
  it('renders for the native cluster, and nginx -t accepts it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sis-nginx-'));
    try {
      const files = writeNginxConf(dir, NATIVE);
      const output = testNginxConf(files);
      console.log(`nginx -t on the native rendering:\n${output}`);
      expect(output).toMatch(/test is successful/);
      const site = fs.readFileSync(files.siteConf, 'utf8');
      expect(site).toContain('listen 127.0.0.1:8080 default_server;');
      expect(upstreamServers(site)).toEqual([
        'server 127.0.0.11:3000 weight=1 max_fails=3 fail_timeout=1s max_conns=96;',
        'server 127.0.0.12:3000 weight=1 max_fails=3 fail_timeout=1s max_conns=96;',
        'server 127.0.0.13:3000 weight=1 max_fails=3 fail_timeout=1s max_conns=96;',
      ]);
      // Sign-ins have the same nodes without max_conns: a storm waiting for argon2id never uses up the
      // connections that pages need.
      expect(upstreamServers(site, 'sis_signin')).toEqual([
        'server 127.0.0.11:3000 weight=1 max_fails=3 fail_timeout=1s;',
        'server 127.0.0.12:3000 weight=1 max_fails=3 fail_timeout=1s;',
        'server 127.0.0.13:3000 weight=1 max_fails=3 fail_timeout=1s;',
      ]);
      expect(/location ~ \^\/login\(\/\|\$\) \{[^}]*proxy_pass http:\/\/sis_signin;/.exec(site)).not.toBeNull();
      expect(site).toContain(`alias ${path.resolve(__dirname, '../../public')}/;`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // `server ... resolve` needs nginx >= 1.27.3 (compose's image); this machine has 1.22, so structure only.
  it('renders for compose with three equal servers, retries, keepalive, request ids and a local status page', () => {
    const conf = renderNginx(COMPOSE);
    const servers = upstreamServers(conf);
    console.log(`compose upstream servers:\n  ${servers.join('\n  ')}`);
    expect(servers).toHaveLength(3);
    servers.forEach((server, i) => {
      expect(server).toMatch(
        new RegExp(`^server app${i + 1}:3000 resolve weight=1 max_fails=\\d+ fail_timeout=\\d+s max_conns=\\d+;$`),
      );
    });
    expect(conf).toMatch(/^\s*zone sis_app \d+k;$/m);
    expect(conf).toMatch(/^\s*keepalive 32;$/m);
    expect(conf).toMatch(/^\s*keepalive_timeout 60s;$/m);
    expect(conf).toMatch(/^\s*resolver 127\.0\.0\.11 /m);
    expect(conf).toMatch(/^\s*listen 80 default_server;$/m);
    expect(conf).toMatch(/^\s*proxy_http_version 1\.1;$/m);
    expect(conf).toMatch(/^\s*proxy_set_header Connection "";$/m);
    expect(conf).toMatch(/^\s*proxy_connect_timeout 1s;$/m);
    expect(conf).toMatch(/^\s*proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;$/m);
    expect(conf).toMatch(/^\s*proxy_next_upstream_tries 3;$/m);
    // The waiting room's and a full sign-in queue's 503s are answers, not failing nodes: not retried there.
    expect(conf).toMatch(
      /location ~ \^\/sections\(\/\|\$\) \{\s*proxy_next_upstream error timeout http_502 http_504 non_idempotent;\s*proxy_pass http:\/\/sis_app;\s*\}/,
    );
    // Sign-in: the same, and a read timeout long enough for the argon2id queue.
    expect(conf).toMatch(
      /location ~ \^\/login\(\/\|\$\) \{\s*proxy_read_timeout 10s;\s*proxy_next_upstream error timeout http_502 http_504 non_idempotent;\s*proxy_next_upstream_timeout 15s;\s*proxy_pass http:\/\/sis_signin;\s*\}/,
    );
    // The grade grid's save (a whole section in one transaction): the longer timeout, before /sections.
    expect(conf).toMatch(
      /location ~ \^\/sections\/\[0-9\]\+\/grades\$ \{\s*proxy_read_timeout 10s;\s*proxy_next_upstream error timeout http_502 http_504 non_idempotent;\s*proxy_next_upstream_timeout 15s;\s*proxy_pass http:\/\/sis_app;\s*\}/,
    );
    expect(conf.indexOf('location ~ ^/sections/[0-9]+/grades$')).toBeLessThan(
      conf.indexOf('location ~ ^/sections(/|$)'),
    );
    // Ordinary pages: a node silent for 1 s is stalled, and a stall costs at most two tries.
    expect(conf).toMatch(/^ {4}proxy_read_timeout 1s;$/m);
    expect(conf).toMatch(/^ {4}proxy_next_upstream_timeout 2s;$/m);
    expect(conf.match(/proxy_read_timeout/g)).toHaveLength(5);
    // An import's upload: its own body limit (the app's 20 MB and the form around it) and a longer timeout.
    expect(conf).toMatch(
      /location = \/imports \{\s*client_max_body_size 21m;\s*client_body_timeout 60s;\s*proxy_read_timeout 30s;\s*proxy_next_upstream error timeout http_502 http_504 non_idempotent;\s*proxy_next_upstream_timeout 30s;\s*proxy_pass http:\/\/sis_app;\s*\}/,
    );
    // Exports stream unbuffered, the pause between two batches allowed 30 s; listed before /sections.
    const exports =
      'location ~ ^/(students/export|admin/audit/export|sections/[0-9]+/roster|sections/[0-9]+/grades/export)\\.(csv|xlsx)$';
    expect(conf).toContain(`${exports} {`);
    expect(conf.slice(conf.indexOf(exports))).toMatch(
      /^[^}]*proxy_buffering off;\s*proxy_read_timeout 30s;\s*proxy_pass http:\/\/sis_app;\s*\}/,
    );
    expect(conf.indexOf(exports)).toBeLessThan(conf.indexOf('location ~ ^/sections/[0-9]+/grades$'));
    // Where a 503 goes back to the client, a shedding node is asked to close the connection instead.
    expect(conf).toMatch(
      /map \$uri \$sis_overload_answer \{\s*"~\^\/\(login\|sections\)\(\/\|\$\)" close;\s*default "";\s*\}/,
    );
    expect(conf).toMatch(/^ {4}proxy_set_header X-Overload-Answer \$sis_overload_answer;$/m);
    // nginx's own id always; the caller's sane one passed on apart, never as the request id.
    expect(conf).toMatch(/^map \$http_x_request_id \$sis_client_request_id \{[\s\S]*?default "";/m);
    expect(conf).toMatch(/^\s*proxy_set_header X-Request-Id \$request_id;$/m);
    expect(conf).toMatch(/^\s*proxy_set_header X-Client-Request-Id \$sis_client_request_id;$/m);
    expect(conf).not.toMatch(/X-Request-Id \$http_x_request_id/);
    expect(conf.match(/add_header X-Request-Id \$request_id always;/g)).toHaveLength(3);
    expect(conf).toMatch(/^\s*client_max_body_size 1m;$/m);
    // nginx's own 503 through a URI (the request becomes a GET): a POST gets the page, not a 405.
    expect(conf).toMatch(/^\s*error_page 502 504 =503 \/_sis_unavailable\$sis_unavailable_ext;$/m);
    expect(conf).toMatch(/location = \/nginx_status \{\s*stub_status;[^}]*allow 127\.0\.0\.1;\s*deny all;\s*\}/);
    expect(conf).toMatch(/location \/static\/ \{\s*alias \/srv\/sis\/public\/;\s*try_files \$uri @sis_app;/);
    expect(conf.split('{').length).toBe(conf.split('}').length);
  });

  it('refuses to render when a SIS_ variable has no value', () => {
    expect(() => renderNginx({ ...COMPOSE, SIS_UPSTREAM_2: undefined })).toThrow('no value for SIS_UPSTREAM_2');
    expect(() => renderNginx({ ...COMPOSE, SIS_RESOLVER: '' })).toThrow('SIS_RESOLVER');
  });

  it("replaces only the SIS_ names and keeps nginx's own variables as written", () => {
    const template = fs.readFileSync(TEMPLATE_PATH, 'utf8');
    const nginxVariables = (text: string) => (text.match(/\$[a-z_][a-z0-9_]*/g) ?? []).sort();
    const rendered = renderNginx(NATIVE);
    expect(rendered).not.toMatch(/\$\{?SIS_/);
    expect(nginxVariables(rendered)).toEqual(nginxVariables(template));
    for (const name of ['$request_id', '$http_x_request_id', '$host', '$remote_addr', '$uri', '$upstream_addr']) {
      expect(rendered).toContain(name);
    }
    // Like envsubst: the bare form is a SIS_ name too, anything else with a dollar is left alone.
    expect(renderNginx({ SIS_A: 'x' }, 'a ${SIS_A} $SIS_A $sis_a ${host} $1 $')).toBe('a x x $sis_a ${host} $1 $');
  });
});
