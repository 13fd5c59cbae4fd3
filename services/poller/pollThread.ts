/**
 * A poll thread (pollThreads.ts): asks the main thread for accounts as it
 * runs low on units, polls their regions with its own client factory, and
 * hands each batch of resource messages to the main thread's sink, with at
 * most MAX_BATCHES_UNTAKEN not yet taken, so a slow sink slows the poll
 * instead of filling memory. Logs go to the main thread's log.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ClientFactory } from '../core/clientFactory.ts';
import { describeError } from '../core/errors.ts';
import type { Log, LogFields } from '../core/log.ts';
import type { ResourceMessage } from '../core/message.ts';
import { MAX_BATCHES_UNTAKEN, type LogLevel, type MainMessage, type PollThreadData, type PollThreadSetup, type PollThreadSetupModule, type ThreadMessage } from './pollThreadMessages.ts';
import { pollDrawnAccounts } from './accountUnits.ts';
import type { UnitReport } from './pollUnit.ts';

const port = parentPort;
if (!port) throw new Error('pollThread.ts runs in a worker thread started by pollThreads.ts');

const post = (message: ThreadMessage): void => port.postMessage(message);

/** Fields the main thread cannot receive as they are (an Error, a function) are sent as text. */
function cloneable(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return undefined;
  try {
    structuredClone(fields);
    return fields;
  } catch {
    return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, typeof value === 'string' ? value : describeError(value)]));
  }
}

const forward =
  (level: LogLevel) =>
  (message: string, fields?: LogFields): void =>
    post({ kind: 'log', level, message, fields: cloneable(fields) });
const threadLog: Log = { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };

let untaken = 0;
const roomWaiters: (() => void)[] = [];
let granted: ((account: string | undefined) => void) | undefined;
port.on('message', (message: MainMessage) => {
  if (message.kind === 'taken') {
    untaken -= 1;
    roomWaiters.shift()?.();
  } else {
    granted?.(message.account);
    granted = undefined;
  }
});

async function emit(messages: ResourceMessage[]): Promise<void> {
  while (untaken >= MAX_BATCHES_UNTAKEN) await new Promise<void>((resolve) => roomWaiters.push(resolve));
  untaken += 1;
  post({ kind: 'messages', messages });
}

/** The main thread's next account for this thread; one request at a time (unitsByAccount asks once). */
const nextAccount = (): Promise<string | undefined> =>
  new Promise((resolve) => {
    granted = resolve;
    post({ kind: 'want-account' });
  });

async function setup(data: PollThreadData): Promise<PollThreadSetup> {
  if (!data.setupModule) return { factory: new ClientFactory({ ...data.config, env: process.env }) };
  const module = (await import(data.setupModule)) as PollThreadSetupModule;
  return module.setupPollThread(data);
}

async function run(data: PollThreadData): Promise<void> {
  const threadSetup = await setup(data);
  // Each polled unit is counted by the main thread, against the whole run.
  const announce = (report: UnitReport): void => post({ kind: 'polled', report });
  const summary = await pollDrawnAccounts(nextAccount, threadSetup, { config: { ...data.config, concurrency: data.concurrency }, log: threadLog, types: data.types, onlyTestResources: data.onlyTestResources }, emit, { announce });
  post({ kind: 'done', summary, report: threadSetup.report?.() });
}

run(workerData as PollThreadData).then(
  // The port stays open for acks: the main thread ends this thread once it has the summary.
  () => undefined,
  (error: unknown) => post({ kind: 'failed', error: describeError(error) }),
);
