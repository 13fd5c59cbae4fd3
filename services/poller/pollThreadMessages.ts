/**
 * What the poller's main thread and its poll threads tell each other
 * (pollThreads.ts, pollThread.ts). Structured-clone data only.
 */
import type { Config } from '../core/config.ts';
import type { LogFields } from '../core/log.ts';
import type { ResourceMessage } from '../core/message.ts';
import type { ResourceType } from '../core/resourceTypes.ts';
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

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Thread to main. */
export type ThreadMessage =
  | { kind: 'want-account' }
  | { kind: 'messages'; batch: number; messages: ResourceMessage[] }
  | { kind: 'log'; level: LogLevel; message: string; fields?: LogFields }
  | { kind: 'done'; summary: PollSummary; report?: unknown }
  | { kind: 'failed'; error: string };

/** Main to thread: a batch was taken by the sink; the next account to poll (none: no more). */
export type MainMessage = { kind: 'taken'; batch: number } | { kind: 'account'; account?: string };
