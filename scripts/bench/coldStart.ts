/**
 * Package the stack as `serverless package` does (osls + serverless-esbuild),
 * then per bundled handler: its zip size, and its init time (importing the
 * built module in a fresh Node with a deployed function's environment),
 * median of 10.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { median } from './statistics.ts';
import { stackSettingsOf, type StackSettings } from './stackSettings.ts';

const run = promisify(execFile);

/** Function -> its bundled module in serverless-esbuild's output (.esbuild/.build). */
export const BUNDLED_HANDLERS = {
  pollWorker: 'services/poller/handler.mjs',
  remediator: 'services/remediator/handler.mjs',
  eventTranslator: 'services/event-translator/handler.mjs',
  notifier: 'services/notifier/handler.mjs',
  guardDutyEnrolment: 'services/guardduty/handler.mjs',
} as const;

export type BundledFunction = keyof typeof BUNDLED_HANDLERS;

export interface HandlerColdStart {
  zipBytes: number;
  initMedianMs: number;
  initSamplesMs: number[];
  /** The import's CPU time (median): what a busy machine does not inflate. */
  initCpuMedianMs: number;
}

export interface PackagedStack {
  settings: StackSettings;
  handlers: Record<BundledFunction, HandlerColdStart>;
  packageSeconds: number;
}

/** A deployed function's environment, enough for every handler's start-up validation. */
const HANDLER_ENV = {
  ACCOUNTS: '111111111111',
  REGIONS: 'us-east-1',
  AWS_REGION: 'us-east-1',
  EXTERNAL_ID: 'bench-external-id-0001',
  RESOURCE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/resources',
  POLL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/polls',
  NOTIFICATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111111111111:findings',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** One import of the module in a fresh Node: wall and CPU milliseconds from before the import to after it. */
function initOnce(modulePath: string): { wallMs: number; cpuMs: number } {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(modulePath).href)}); const u = process.cpuUsage(c); console.log(performance.now() - t, (u.user + u.system) / 1000);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...HANDLER_ENV }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [wallMs, cpuMs] = (out.trim().split('\n').pop() ?? '').split(' ').map(Number);
  if (!Number.isFinite(wallMs) || !Number.isFinite(cpuMs)) throw new Error(`importing ${modulePath} printed no time: ${out}`);
  return { wallMs: wallMs as number, cpuMs: cpuMs as number };
}

export async function packageAndMeasure(samples = 10): Promise<PackagedStack> {
  const out = mkdtempSync(join(tmpdir(), 'bench-package-'));
  const started = Date.now();
  await run('npx', ['serverless', 'package', '--stage', 'bench', '--package', out], {
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
    timeout: 300_000,
  });
  const packageSeconds = (Date.now() - started) / 1000;
  const template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as Parameters<typeof stackSettingsOf>[0];
  const built = join(process.cwd(), '.esbuild', '.build');
  const handlers = {} as Record<BundledFunction, HandlerColdStart>;
  for (const [name, module] of Object.entries(BUNDLED_HANDLERS) as [BundledFunction, string][]) {
    const inits = Array.from({ length: samples }, () => initOnce(join(built, module)));
    const initSamplesMs = inits.map((init) => init.wallMs);
    handlers[name] = { zipBytes: statSync(join(out, `${name}.zip`)).size, initMedianMs: median(initSamplesMs), initSamplesMs, initCpuMedianMs: median(inits.map((init) => init.cpuMs)) };
  }
  return { settings: stackSettingsOf(template), handlers, packageSeconds };
}
