/** Input rules the `elb` and `elbv2` sandbox services share, with the errors AWS answers. */
import { serviceError } from '../sandboxErrors.ts';
import { required } from '../serviceModel.ts';

/** Load balancer and target group names: 1-32 letters, digits and hyphens, not starting or ending with a hyphen. */
const NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

/** Describe* calls: at most 400 per page, 400 when PageSize is not given. */
export const MAX_PAGE_SIZE = 400;

export function validName(name: string | undefined, what: string, parameter: string): string {
  const value = required(name, parameter);
  if (!NAME_PATTERN.test(value)) {
    throw serviceError('ValidationError', 400, `${what} name '${value}' must have at most 32 characters, contain only letters, digits and hyphens, and not begin or end with a hyphen`);
  }
  return value;
}

export function pageSizeOf(pageSize: number | undefined): number {
  if (pageSize === undefined) return MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw serviceError('ValidationError', 400, `1 validation error detected: Value '${pageSize}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and ${MAX_PAGE_SIZE}`);
  }
  return pageSize;
}

/** Between 1 and `max` items, as AWS's list constraints say. */
export function boundedList<T>(items: readonly T[] | undefined, parameter: string, max: number): readonly T[] {
  const list = required(items, parameter);
  if (list.length === 0 || list.length > max) {
    throw serviceError('ValidationError', 400, `1 validation error detected: Value at '${parameter}' failed to satisfy constraint: Member must have length between 1 and ${max}`);
  }
  return list;
}

/** Tags as stored: keys required and unique. */
export function validTags(tags: readonly { Key?: string; Value?: string }[] | undefined): { Key: string; Value?: string }[] {
  const keys = (tags ?? []).map((tag) => required(tag.Key, 'Tags.member.Key'));
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate !== undefined) throw serviceError('DuplicateTagKeys', 400, `Tag key was specified more than once: ${duplicate}`);
  return (tags ?? []).map((tag, index) => ({ Key: keys[index] ?? '', ...(tag.Value !== undefined ? { Value: tag.Value } : {}) }));
}
