/**
 * What the poller's main thread and its poll threads tell each other
 * (pollThreads.ts, pollThread.ts). Structured-clone data only.
 */
import type { ClientFactory } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import type { LogFields } from '../core/log.ts';
import type { ResourceMessage } from '../core/message.ts';
import type { ResourceType } from '../core/resourceTypes.ts';
import type { UnitReport } from './pollUnit.ts';
import type { PollSummary } from './pollUnits.ts';

/** What a poll thread is started with. */
export interface PollThreadData {
  config: Config;
  /** Units this thread polls at once. */
  concurrency: number;
  types?: ResourceType[];
  onlyTestResources?: boolean;
  /** A module (file URL) exporting `setupPollThread` (PollThreadSetupModule): how this thread makes its clients; unset: as a deployed function does. */
  setupModule?: string;
  setupData?: unknown;
}

/**
 * Batches a poll thread has handed to the main thread and its sink has not
 * yet taken, at most: enough that the main thread's own polling does not
 * hold the thread's units up, and bounded, so a slow sink slows the poll.
 */
export const MAX_BATCHES_UNTAKEN = 64;

/** What a setup module gives a poll thread: its clients, and what it reports when done (the bench's counters). */
export interface PollThreadSetup {
  factory: ClientFactory;
  /** Called with each account this thread is given, before its units are polled. */
  prepareAccount?: (account: string) => void;
  /** Called once every region of an account this thread was given has been polled. */
  releaseAccount?: (account: string) => void;
  report?: () => unknown;
}

/** The shape of a module named by PollThreadData.setupModule. */
export interface PollThreadSetupModule {
  setupPollThread(data: PollThreadData): Promise<PollThreadSetup>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Thread to main. */
export type ThreadMessage =
  | { kind: 'want-account' }
  | { kind: 'messages'; messages: ResourceMessage[] }
  | { kind: 'log'; level: LogLevel; message: string; fields?: LogFields }
  | { kind: 'polled'; report: UnitReport }
  | { kind: 'done'; summary: PollSummary; report?: unknown }
  | { kind: 'failed'; error: string };

/** Main to thread: the sink took one of its batches; the next account to poll (none: no more). */
export type MainMessage = { kind: 'taken' } | { kind: 'account'; account?: string };
