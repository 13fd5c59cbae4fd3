/**
 * Takes a remediation's budgets (the run's cap, the organization-wide brake)
 * just before its first mutating call, so that a remediation whose re-read
 * finds nothing to change, or finds the resource gone, costs nothing.
 * The clients a remediation uses are wrapped: while armed, the first command
 * that is not a read asks for the allowance; a refusal throws BrakeEngaged
 * before anything is sent, and every later mutating call of that
 * remediation is refused too. Later mutating calls of an allowed
 * remediation are free: one remediation costs one, however many writes it makes.
 * A command is named by its class (`PutBucketAclCommand`: the bundles keep
 * names, esbuild keepNames); a name that is not a known read verb counts as
 * a mutation, so an unnamed command is braked, never let through.
 */
import type { AwsClients, ClientConstructor } from '../core/clientFactory.ts';
import { isReadOnlyCommand } from '../core/commandKind.ts';

/** Why a remediation was stopped before its first change (the finding's `planned` reason). */
export class BrakeEngaged extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(`remediation held: ${reason}`);
    this.name = 'BrakeEngaged';
    this.reason = reason;
  }
}

/** Resolves to undefined when the remediation may mutate, else the reason it may not. */
export type MutationAllowance = () => Promise<string | undefined>;

interface SendingClient {
  send(command: object, ...rest: unknown[]): Promise<unknown>;
}

export type GuardedOutcome<T> = { status: 'done'; result: T } | { status: 'held'; reason: string };

export class MutationGuard {
  private readonly allowance: MutationAllowance;
  private armed = false;
  /** The current remediation's allowance, asked once and shared by its concurrent calls. */
  private decision: Promise<string | undefined> | undefined;
  private readonly wrapped = new WeakMap<object, object>();

  constructor(allowance: MutationAllowance) {
    this.allowance = allowance;
  }

  /** The same clients, whose commands pass through this guard. */
  clients(clients: AwsClients): AwsClients {
    return { account: clients.account, region: clients.region, get: <C>(ctor: ClientConstructor<C>): C => this.wrap(clients.get(ctor)) };
  }

  /**
   * Run one remediation armed: `held` with the reason when its first
   * mutating call was refused (whatever the remediation did with the
   * BrakeEngaged error), else what it returned; its own errors are rethrown.
   */
  async run<T>(remediation: () => Promise<T>): Promise<GuardedOutcome<T>> {
    this.armed = true;
    this.decision = undefined;
    let result: T;
    try {
      result = await remediation();
    } catch (error) {
      const held = await this.refusal();
      if (held !== undefined) return { status: 'held', reason: held };
      throw error;
    } finally {
      this.armed = false;
    }
    const held = await this.refusal();
    return held === undefined ? { status: 'done', result } : { status: 'held', reason: held };
  }

  private async refusal(): Promise<string | undefined> {
    const decision = this.decision;
    this.decision = undefined;
    return decision ? await decision : undefined;
  }

  private wrap<C>(client: C): C {
    const target = client as C & object & SendingClient;
    const existing = this.wrapped.get(target);
    if (existing) return existing as C;
    const send = async (command: object, ...rest: unknown[]): Promise<unknown> => {
      if (this.armed && !isReadOnlyCommand(command.constructor.name)) {
        this.decision ??= this.allowance();
        const reason = await this.decision;
        if (reason !== undefined) throw new BrakeEngaged(reason);
      }
      return target.send(command, ...rest);
    };
    const proxy = new Proxy(target, {
      get: (object, property) => (property === 'send' ? send : Reflect.get(object, property, object)),
    });
    this.wrapped.set(target, proxy);
    return proxy;
  }
}
