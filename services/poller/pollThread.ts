/**
 * A poll thread (pollThreads.ts): asks the main thread for an account
 * whenever it runs out of units, polls that account's regions with its own
 * client factory, and hands each batch of resource messages to the main
 * thread, waiting until the sink has taken it, so a slow sink slows the poll
 * instead of filling memory. Logs go to the main thread's log.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ClientFactory } from '../core/clientFactory.ts';
import { describeError } from '../core/errors.ts';
import type { Log, LogFields } from '../core/log.ts';
import type { ResourceMessage } from '../core/message.ts';
import type { LogLevel, MainMessage, PollThreadData, ThreadMessage } from './pollThreadMessages.ts';
import type { PollUnit } from './pollUnit.ts';
import { pollUnitsFrom } from './pollUnits.ts';

/** What a setup module gives a poll thread: its clients, and what it reports when done (the bench's counters). */
export interface PollThreadSetup {
  factory: ClientFactory;
  /** Called with each account this thread is given, before its units are polled. */
  prepareAccount?: (account: string) => void;
  report?: () => unknown;
}

/** The shape of a module named by PollThreadData.setupModule. */
export interface PollThreadSetupModule {
  setupPollThread(data: PollThreadData): Promise<PollThreadSetup>;
}

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

const waiting = new Map<number, () => void>();
let granted: ((account: string | undefined) => void) | undefined;
port.on('message', (message: MainMessage) => {
  if (message.kind === 'taken') {
    waiting.get(message.batch)?.();
    waiting.delete(message.batch);
  } else {
    granted?.(message.account);
    granted = undefined;
  }
});

let batches = 0;
async function emit(messages: ResourceMessage[]): Promise<void> {
  batches += 1;
  const batch = batches;
  const taken = new Promise<void>((resolve) => waiting.set(batch, resolve));
  post({ kind: 'messages', batch, messages });
  await taken;
}

/** The next unit: this thread's account's next region, or the first of the next account it is given. One request at a time. */
function unitSource(regions: readonly string[], prepareAccount: ((account: string) => void) | undefined): () => Promise<PollUnit | undefined> {
  const units: PollUnit[] = [];
  let asking: Promise<void> | undefined;
  let exhausted = false;
  const askForAccount = async (): Promise<void> => {
    const account = await new Promise<string | undefined>((resolve) => {
      granted = resolve;
      post({ kind: 'want-account' });
    });
    if (account === undefined) {
      exhausted = true;
      return;
    }
    prepareAccount?.(account);
    for (const region of regions) units.push({ account, region });
  };
  return async () => {
    while (units.length === 0 && !exhausted) {
      asking ??= askForAccount().finally(() => {
        asking = undefined;
      });
      await asking;
    }
    return units.shift();
  };
}

async function setup(data: PollThreadData): Promise<PollThreadSetup> {
  if (!data.setupModule) return { factory: new ClientFactory({ ...data.config, env: process.env }) };
  const module = (await import(data.setupModule)) as PollThreadSetupModule;
  return module.setupPollThread(data);
}

async function run(data: PollThreadData): Promise<void> {
  const { factory, prepareAccount, report } = await setup(data);
  const options = { config: { ...data.config, concurrency: data.concurrency }, factory, log: threadLog, types: data.types, onlyTestResources: data.onlyTestResources };
  const summary = await pollUnitsFrom(unitSource(data.config.regions, prepareAccount), options, emit);
  post({ kind: 'done', summary, report: report?.() });
}

run(workerData as PollThreadData).then(
  // The port stays open for acks: the main thread ends this thread once it has the summary.
  () => undefined,
  (error: unknown) => post({ kind: 'failed', error: describeError(error) }),
);
