/**
 * Port arithmetic for security group rules: the allowed ports inside a rule's
 * range, as the fewest contiguous ranges (what a remediation re-authorises
 * after revoking the range).
 */

export interface PortSpan {
  from: number;
  to: number;
}

/** Ports of `allowed` inside [from, to], minus `excluded`, as contiguous spans, ascending. */
export function allowedSpans(range: PortSpan, allowed: readonly number[], excluded: readonly number[]): PortSpan[] {
  const skip = new Set(excluded);
  const ports = [...new Set(allowed)].filter((port) => port >= range.from && port <= range.to && !skip.has(port)).sort((a, b) => a - b);
  const spans: PortSpan[] = [];
  for (const port of ports) {
    const last = spans.at(-1);
    if (last && last.to === port - 1) last.to = port;
    else spans.push({ from: port, to: port });
  }
  return spans;
}
