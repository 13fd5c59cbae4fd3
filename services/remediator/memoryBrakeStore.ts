import type { BrakeStore } from './brakeStore.ts';

/**
 * The brake's counter for one process (the CLI, the sandbox, the demo):
 * shared by every run of that process, seen by no other.
 */
export class MemoryBrakeStore implements BrakeStore {
  private readonly taken = new Map<string, number>();
  private readonly alarmed = new Set<string>();

  take(window: string, limit: number): Promise<boolean> {
    const used = this.taken.get(window) ?? 0;
    if (used >= limit) return Promise.resolve(false);
    this.taken.set(window, used + 1);
    return Promise.resolve(true);
  }

  claimAlarm(window: string): Promise<boolean> {
    if (this.alarmed.has(window)) return Promise.resolve(false);
    this.alarmed.add(window);
    return Promise.resolve(true);
  }
}
