/**
 * A value loaded at most once per `ttlMs` for a given key (per container, in
 * Lambda); a load that fails is forgotten at once, so the next call tries
 * again instead of repeating the failure for the whole period.
 */
export class ExpiringPromise<T> {
  private entry?: { key: string; until: number; value: Promise<T> };
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.entry && this.entry.key === key && this.entry.until > this.now()) return this.entry.value;
    const entry = { key, until: this.now() + this.ttlMs, value: load() };
    this.entry = entry;
    entry.value.catch(() => {
      if (this.entry === entry) this.entry = undefined;
    });
    return entry.value;
  }
}
