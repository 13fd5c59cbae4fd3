/**
 * Pages as AWS serves them: an opaque token when more remain. The token is
 * the next offset, base64-encoded, so it looks (and is as opaque) as AWS's.
 */
export function page<T>(items: readonly T[], token: string | undefined, pageSize: number): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
  const safeStart = Number.isInteger(start) && start >= 0 ? start : 0;
  const end = safeStart + Math.max(1, pageSize);
  return {
    items: items.slice(safeStart, end),
    ...(end < items.length ? { next: Buffer.from(`offset:${end}`).toString('base64') } : {}),
  };
}
