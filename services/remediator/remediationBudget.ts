/**
 * The cap on remediations in one run (a Lambda invocation or a CLI run):
 * it bounds the blast radius of a bad rule. Made per run, never shared.
 */
export class RemediationBudget {
  private used = 0;
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Take one remediation from the budget; false once the cap is reached. */
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  /** Give back what take() took, for a remediation another brake then stopped before any change. */
  giveBack(): void {
    if (this.used > 0) this.used -= 1;
  }

  get remaining(): number {
    return this.limit - this.used;
  }
}
