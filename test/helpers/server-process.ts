// The real server process for tests, started as `npm start` runs it (`server/main.ts`) on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_KB_CACHE_DIR } from '../../server/config.js';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output(): string;
}

/** Resolves once the server listens; a server that does not start within `startTimeoutMs` is killed, not left behind. */
export async function startServer(dataDir: string, env: Record<string, string> = {}, startTimeoutMs = 25_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_PRETTY: 'false', LOG_LEVEL: 'info', KB_WATCH: 'false', KB_CACHE_DIR: TEST_KB_CACHE_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, startTimeoutMs);
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      } else setTimeout(check, 50);
    };
    check();
  });
  return { child, url, exited, output: () => output };
}
