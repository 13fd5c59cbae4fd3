/** A security-account queue of the bench: bodies in arrival order, handed out once. */
export class MessageQueue {
  private readonly bodies: string[] = [];
  private next = 0;

  push(bodies: readonly string[]): void {
    this.bodies.push(...bodies);
  }

  /** Up to `count` bodies not handed out yet, oldest first. */
  take(count: number): string[] {
    const taken = this.bodies.slice(this.next, this.next + count);
    this.next += taken.length;
    return taken;
  }

  get waiting(): number {
    return this.bodies.length - this.next;
  }

  /** Every body ever received (handed out or not). */
  all(): readonly string[] {
    return this.bodies;
  }
}
