/**
 * A ClientFactory that records every mutating call its member-account
 * clients send (an SDK middleware on each client), with what came back:
 * how the moto pipeline and the remediator proofs count changes.
 */
import { ClientFactory, type AwsClients, type ClientConstructor } from '../../services/core/clientFactory.ts';

/** Names of calls that only read: everything else sent is a mutation. */
const READ_ONLY_COMMAND = /^(Describe|List|Get|BatchGet|Head|Lookup|Search|Check)/;

/** Whether a command (`PutBucketPolicy`, with or without the `Command` suffix) changes something. */
export function isMutatingCommand(command: string): boolean {
  return !READ_ONLY_COMMAND.test(command.replace(/Command$/, ''));
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input?: Record<string, unknown> }) => Promise<{ output?: unknown }>,
        context: { clientName?: string; commandName?: string },
      ) => (args: { input?: Record<string, unknown> }) => Promise<{ output?: unknown }>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** One mutating call a client sent: what went in, and what came back (or the error's name). */
export interface MutatingCall {
  account: string;
  region: string;
  /** The SDK client's name: `S3Client`, `EC2Client`, ... */
  client: string;
  command: string;
  input: Record<string, unknown>;
  output?: unknown;
  error?: string;
}

/** A ClientFactory whose clients record every mutating call they send, by account. */
export class CountingFactory extends ClientFactory {
  readonly mutations: MutatingCall[] = [];
  private readonly counted = new WeakSet<object>();

  // Every argument passed on (which member role, where the factory takes one).
  override forAccount(...args: Parameters<ClientFactory['forAccount']>): AwsClients {
    const [account, region] = args;
    const clients = super.forAccount(...args);
    return {
      ...clients,
      get: <C>(ctor: ClientConstructor<C>): C => {
        const client = clients.get(ctor);
        this.count(client as MiddlewareClient & object, account, region);
        return client;
      },
    };
  }

  private count(client: MiddlewareClient & object, account: string, region: string): void {
    if (this.counted.has(client)) return;
    this.counted.add(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = (context.commandName ?? '').replace(/Command$/, '');
        if (!isMutatingCommand(command)) return next(args);
        const call: MutatingCall = { account, region, client: context.clientName ?? '', command, input: args.input ?? {} };
        this.mutations.push(call);
        try {
          const result = await next(args);
          call.output = result.output;
          return result;
        } catch (error) {
          call.error = error instanceof Error ? error.name : String(error);
          throw error;
        }
      },
      { step: 'initialize', name: 'countMutations' },
    );
  }
}
