/**
 * The SDK clients a factory keeps, by (account, region, role): a bounded,
 * least-recently-used cache. A group that leaves it (evicted, or released
 * when its work ends) is destroyed, so its sockets close, once no call of
 * its clients is in flight; code that still holds one of its clients can go
 * on using it (the SDK opens a new socket), and the factory makes a new
 * group when the (account, region) is asked for again.
 */

/**
 * Groups a factory keeps at most. A group is one (account, region, role):
 * up to about fifteen clients, roughly 1 MB of heap with the auditors'
 * clients. The remediator works on 8 records at once, each with at most 3
 * groups (audit role, remediation role, another account's); the poller CLI on
 * 64 units at most, each released when it ends. 96 leaves room for both and
 * keeps a Lambda container's heap flat however many account-regions it sees.
 */
export const MAX_CLIENT_GROUPS = 96;

interface TrackedClient {
  destroy?: () => void;
  middlewareStack?: {
    add(middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>, options: { step: 'initialize'; name: string; priority: 'high' }): void;
  };
}

/** The clients of one (account, region, role). */
export class ClientGroup {
  readonly account: string;
  readonly region: string;
  readonly clients = new Map<unknown, unknown>();
  private inFlight = 0;
  private retired = false;

  constructor(account: string, region: string) {
    this.account = account;
    this.region = region;
  }

  /** Keep a new client in the group and count its calls in flight. */
  add(key: unknown, client: unknown): void {
    this.clients.set(key, client);
    (client as TrackedClient).middlewareStack?.add(
      (next) => async (args) => {
        this.inFlight += 1;
        try {
          return await next(args);
        } finally {
          this.inFlight -= 1;
          if (this.retired && this.inFlight === 0) this.destroy();
        }
      },
      { step: 'initialize', name: 'clientGroupInFlight', priority: 'high' },
    );
  }

  /** Out of the cache: destroyed now, or when its last call in flight ends. */
  retire(): void {
    this.retired = true;
    if (this.inFlight === 0) this.destroy();
  }

  private destroy(): void {
    for (const client of this.clients.values()) (client as TrackedClient).destroy?.();
  }
}

export class ClientGroups {
  private readonly groups = new Map<string, ClientGroup>();
  /** The function's own clients (one group per region): few, used by every record, and held by long-lived stores; never evicted. */
  private readonly pinned = new Map<string, ClientGroup>();
  private readonly capacity: number;

  constructor(capacity: number = MAX_CLIENT_GROUPS) {
    if (!(capacity >= 1)) throw new Error(`the client cache must hold at least one group, not ${capacity}`);
    this.capacity = capacity;
  }

  /** How many groups are kept, pinned ones included. */
  get size(): number {
    return this.groups.size + this.pinned.size;
  }

  /** The group of `key`, now the most recently used; a new one evicts the least recently used beyond the capacity. */
  use(key: string, account: string, region: string, pinned = false): ClientGroup {
    if (pinned) {
      const group = this.pinned.get(key) ?? new ClientGroup(account, region);
      this.pinned.set(key, group);
      return group;
    }
    const existing = this.groups.get(key);
    if (existing) {
      this.groups.delete(key);
      this.groups.set(key, existing);
      return existing;
    }
    const group = new ClientGroup(account, region);
    this.groups.set(key, group);
    for (const [oldest, evicted] of this.groups) {
      if (this.groups.size <= this.capacity) break;
      this.groups.delete(oldest);
      evicted.retire();
    }
    return group;
  }

  /** Let go of every group of an (account, region), each role's; how many there were. */
  release(account: string, region: string): number {
    let released = 0;
    for (const [key, group] of this.groups) {
      if (group.account !== account || group.region !== region) continue;
      this.groups.delete(key);
      group.retire();
      released += 1;
    }
    return released;
  }
}
