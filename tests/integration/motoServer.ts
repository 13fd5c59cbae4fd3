/**
 * Vitest global setup: one moto server (getmoto/moto, an AWS emulator
 * written by others) on a free loopback port for the whole run, stopped at
 * the end. Test files read its URL with `motoEndpoint()` (./moto.ts).
 *
 * When moto cannot start (another machine, no `moto[server]`), the setup
 * does not fail the whole run: it provides the reason, and every moto-backed
 * test fails with that one line, so a run can never pass without them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
    motoUnavailable: string;
  }
}

export const MOTO_INSTALL_HINT = 'moto is a test prerequisite: install it with `pip install "moto[server]>=5.2,<5.3"` (python3 must import moto)';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}: ${stderr().trim().split('\n').slice(-3).join(' | ')}`);
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('moto did not answer within 30 s');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const python = process.env.MOTO_PYTHON ?? 'python3';
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // The request recorder (for replaying what the maker did) writes its file outside the work tree.
    env: { ...process.env, MOTO_ENABLE_RECORDING: 'True', MOTO_RECORDER_FILEPATH: join(mkdtempSync(join(tmpdir(), 'moto-')), 'recording') },
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  });
  const spawned = new Promise<Error | undefined>((resolve) => {
    child.once('error', (error) => resolve(error));
    child.once('spawn', () => resolve(undefined));
  });
  const spawnError = await spawned;
  try {
    if (spawnError) throw spawnError;
    await waitUntilUp(url, child, () => output);
    project.provide('motoEndpoint', url);
    project.provide('motoUnavailable', '');
  } catch (error) {
    child.kill('SIGKILL');
    const reason = error instanceof Error ? error.message : String(error);
    project.provide('motoEndpoint', '');
    project.provide('motoUnavailable', `${MOTO_INSTALL_HINT}; starting \`${python} -m moto.server\` failed: ${reason}`);
    return async () => {};
  }
  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(undefined);
      }, 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  };
}
