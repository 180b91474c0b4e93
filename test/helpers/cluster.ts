// Several real server processes on one fresh PostgreSQL database, behind a real nginx (round-robin, no
// sticky sessions, WebSocket upgrade) whose site configuration is the one README ships.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { IN_CI, POSTGRES_URL, postgresProblem, tempDir } from './services.js';
import { TEST_KB_CACHE_DIR } from '../../server/config.js';

const root = path.resolve(import.meta.dirname, '../..');
export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

/** null when nginx and PostgreSQL are here; else skips loudly (returns the reason), or throws in CI. */
export async function clusterProblem(): Promise<string | null> {
  const problem = (await postgresProblem()) ?? (fs.existsSync(NGINX) ? null : `nginx is not installed at ${NGINX}`);
  if (!problem) return null;
  if (IN_CI) throw new Error(`CI=true but ${problem}`);
  console.warn(`\n*** SKIPPING multi-instance tests: ${problem} ***\n`);
  return problem;
}

/** A database of its own for one test run (the instances share it); drop() removes it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sd_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface Instance {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `server/main.ts` as `npm start` does, on a free port; resolves once it listens. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_PRETTY: 'false', LOG_LEVEL: 'info', KB_WATCH: 'false', KB_CACHE_DIR: TEST_KB_CACHE_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a half-started server behind
      reject(new Error(`instance ${name} did not start:\n${output}`));
    }, 90_000);
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      } else if (child.exitCode !== null) {
        clearTimeout(timer);
        reject(new Error(`instance ${name} exited:\n${output}`));
      } else setTimeout(check, 50);
    };
    check();
  });
  return {
    name,
    url,
    port: Number(new URL(url).port),
    child,
    exited,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // a shutdown that hangs must not outlive the test run
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        return await exited;
      } finally {
        clearTimeout(force);
      }
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The nginx site configuration README ships (the block between its nginx-site markers). */
export function readmeNginxSite(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const match = /<!-- nginx-site -->\s*```nginx\n([\s\S]*?)```\s*<!-- \/nginx-site -->/.exec(readme);
  if (!match) throw new Error('README.md has no nginx site block between <!-- nginx-site --> markers');
  return match[1];
}

export interface Balancer {
  url: string;
  stop(): Promise<void>;
  errorLog(): string;
}

/**
 * nginx in the foreground with README's site, pointed at these upstream ports. Only the test's own lines
 * are added: its port, and X-Upstream (which instance answered) so the test can tell where a request went.
 */
export async function startNginx(upstreamPorts: number[]): Promise<Balancer> {
  const dir = tempDir('support-desk-nginx-');
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, sub));
  const port = await freePort();
  let site = readmeNginxSite();
  const servers = /(upstream support_desk \{[^}]*?)((?:\s*server [^;]+;)+)/.exec(site);
  if (!servers) throw new Error('the README nginx site has no upstream support_desk with server lines');
  site = site.replace(servers[2], upstreamPorts.map((p) => `\n    server 127.0.0.1:${p};`).join(''));
  site = site.replace(/listen\s+80;/, `listen 127.0.0.1:${port};`);
  site = site.replace(/location \/ \{/, 'location / {\n        add_header X-Upstream $upstream_addr always;');
  const conf = `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const errorLog = () => output + (fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '');
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited:\n${errorLog()}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100) throw new Error(`nginx did not listen:\n${errorLog()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    errorLog,
    async stop() {
      // SIGTERM: nginx's fast shutdown (SIGQUIT would wait for every proxied WebSocket to end)
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A minimal cookie jar for fetch: keeps the name=value of every Set-Cookie. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.split('=');
      const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
  }

  header(): string {
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

/** Logs an agent in through the real form at `base`; returns the cookie header and CSRF token. */
export async function agentLogin(base: string, login: string, password: string): Promise<{ cookie: string; csrf: string; id: number }> {
  const jar = new CookieJar();
  const page = await fetch(`${base}/agent/login`);
  jar.take(page);
  const formCsrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const posted = await fetch(`${base}/agent/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ login, password, _csrf: formCsrf }).toString(),
  });
  if (posted.status !== 303) throw new Error(`login of ${login} failed: ${posted.status} ${await posted.text()}`);
  jar.take(posted);
  const cookie = jar.header();
  const me = await (await fetch(`${base}/api/agent/me`, { headers: { cookie } })).json();
  return { cookie, csrf: me.csrfToken, id: me.id };
}
