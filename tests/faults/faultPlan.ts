/**
 * Faults injected in the SDK middleware of the clients the real handlers
 * make: the fault is thrown where the response would be read, inside the
 * SDK's retry loop, so the SDK retries it as it would a real one (with
 * MAX_ATTEMPTS, on 1 ms backoffs so the table runs fast).
 */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { answerCommands, serviceIdOf } from '../../sandbox/answerCommands.ts';
import type { Sandbox } from '../../sandbox/sandbox.ts';
import { serviceError } from '../../sandbox/sandboxErrors.ts';
import { MAX_ATTEMPTS } from '../../services/core/clientFactory.ts';

export interface Fault {
  service: string;
  /** The operation (`GetBucketPolicy`), or '*' for every operation of the service. */
  operation: string;
  /** 'self' for the security account's own clients (SQS, SNS); a member account id otherwise. */
  account?: string;
  region?: string;
  /** The AWS error answered, with its HTTP status. */
  error?: { code: string; status: number; message?: string };
  /** SendMessageBatch only: the first entry of each call fails (SenderFault as given). */
  failFirstEntry?: { code: string; senderFault: boolean };
  /** Let this many matching calls through first. */
  skip?: number;
  /** How many matching calls fail (after `skip`); default every one. */
  times?: number;
  /** Runs before the call is answered (delete a resource "between the audit and the fix"). */
  before?: () => Promise<void>;
}

export interface RecordedCall {
  account: string;
  region: string;
  service: string;
  /** The operation (`GetBucketPolicy`), or '*' for every operation of the service. */
  operation: string;
  input: Record<string, unknown>;
}

interface StackClient {
  config: { retryStrategy?: unknown };
  middlewareStack: {
    add(
      middleware: (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) => (args: { input: Record<string, unknown> }) => Promise<unknown>,
      options: { step: 'initialize' | 'deserialize'; name: string; priority?: 'high' | 'low' },
    ): void;
  };
}

const SESSION = { AccessKeyId: 'ASIAFAULTTABLE000001', SecretAccessKey: 'secret', SessionToken: 'member-session-token' };

export class FaultPlan {
  readonly faults: Fault[] = [];
  readonly calls: RecordedCall[] = [];
  private readonly seen = new Map<Fault, number>();
  private readonly sandbox: Sandbox;

  constructor(sandbox: Sandbox) {
    this.sandbox = sandbox;
  }

  add(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** The first fault that applies to this call now (counting it), if any. */
  private async faultFor(account: string, region: string, service: string, operation: string, kind: 'error' | 'partial'): Promise<Fault | undefined> {
    for (const fault of this.faults) {
      if (fault.service !== service || (fault.operation !== '*' && fault.operation !== operation)) continue;
      if ((fault.account ?? account) !== account || (fault.region ?? region) !== region) continue;
      if (kind === 'partial' ? !fault.failFirstEntry : fault.failFirstEntry) continue;
      const seen = (this.seen.get(fault) ?? 0) + 1;
      this.seen.set(fault, seen);
      if (seen <= (fault.skip ?? 0) || seen > (fault.skip ?? 0) + (fault.times ?? Number.POSITIVE_INFINITY)) continue;
      await fault.before?.();
      return fault;
    }
    return undefined;
  }

  private async throwIfFaulty(account: string, region: string, service: string, operation: string): Promise<void> {
    const fault = await this.faultFor(account, region, service, operation, 'error');
    if (fault?.error) throw serviceError(fault.error.code, fault.error.status, fault.error.message ?? fault.error.code);
  }

  /** ClientFactorySettings.instrument: member clients answered by the sandbox (STS by this plan), own clients go to the emulator. */
  instrument = (client: unknown, account: string, region: string): void => {
    const service = serviceIdOf(client);
    if (!service) return;
    const stack = client as StackClient;
    stack.config.retryStrategy = async () => new ConfiguredRetryStrategy(MAX_ATTEMPTS, 1);
    if (account === 'self') {
      this.attachToEmulatorClient(stack, region, service);
      return;
    }
    answerCommands(client, 'faultTable', async (serviceId, operation, input) => {
      this.calls.push({ account, region, service: serviceId, operation, input: input as Record<string, unknown> });
      await this.throwIfFaulty(account, region, serviceId, operation);
      if (serviceId === 'STS' && operation === 'AssumeRole') return { Credentials: { ...SESSION, Expiration: new Date(Date.now() + 3600_000) } };
      return this.sandbox.call(serviceId, operation, input, account, region);
    });
  };

  private attachToEmulatorClient(stack: StackClient, region: string, service: string): void {
    stack.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const fault = operation === 'SendMessageBatch' ? await this.faultFor('self', region, service, operation, 'partial') : undefined;
        const entries = args.input.Entries as { Id: string }[] | undefined;
        if (!fault?.failFirstEntry || !entries || entries.length === 0) return next(args);
        const [first, ...rest] = entries;
        const result = rest.length > 0 ? await next({ ...args, input: { ...args.input, Entries: rest } }) : { output: { Successful: [], Failed: [] } };
        const failed = [...((result.output.Failed as unknown[] | undefined) ?? []), { Id: first?.Id, Code: fault.failFirstEntry.code, SenderFault: fault.failFirstEntry.senderFault, Message: 'injected' }];
        return { ...result, output: { ...result.output, Failed: failed } };
      },
      { step: 'initialize', name: 'faultTablePartialBatch', priority: 'high' },
    );
    stack.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        this.calls.push({ account: 'self', region, service, operation, input: args.input });
        await this.throwIfFaulty('self', region, service, operation);
        return next(args);
      },
      { step: 'deserialize', name: 'faultTableError', priority: 'high' },
    );
  }
}
