/**
 * What every EC2 Describe call shares: Filters (with `tag:<key>`, `tag-key`
 * and `*`/`?` wildcards, an unknown filter name rejected) and
 * MaxResults/NextToken pagination with EC2's limits.
 */
import type { Filter, Tag } from '@aws-sdk/client-ec2';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';

/** For each filter name the resource supports, the value(s) it is compared with. */
export type FilterFields<R> = Readonly<Record<string, (record: R) => string | boolean | number | undefined | readonly (string | undefined)[]>>;

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function valuesOf<R>(record: R, name: string, fields: FilterFields<R>, tags: readonly Tag[]): (string | undefined)[] {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return tags.filter((t) => t.Key === key).map((t) => t.Value ?? '');
  }
  if (name === 'tag-key') return tags.map((t) => t.Key);
  if (name === 'tag-value') return tags.map((t) => t.Value);
  const field = fields[name];
  if (!field) throw serviceError('InvalidParameterValue', 400, `The filter '${name}' is invalid`);
  const value = field(record);
  return Array.isArray(value) ? [...(value as readonly (string | undefined)[])] : [value === undefined ? undefined : String(value)];
}

/** A filter name the resource does not support fails the call, whether or not anything would match. */
function assertKnownFilters<R>(filters: readonly Filter[] | undefined, fields: FilterFields<R>): void {
  for (const filter of filters ?? []) {
    const name = filter.Name ?? 'null';
    if (!fields[name] && !name.startsWith('tag:') && name !== 'tag-key' && name !== 'tag-value') {
      throw serviceError('InvalidParameterValue', 400, `The filter '${name}' is invalid`);
    }
  }
}

function matchesFilters<R>(record: R, filters: readonly Filter[], fields: FilterFields<R>, tags: readonly Tag[]): boolean {
  return filters.every((filter) => {
    const actual = valuesOf(record, filter.Name ?? '', fields, tags);
    const wanted = (filter.Values ?? []).map(wildcard);
    return wanted.some((pattern) => actual.some((value) => value !== undefined && pattern.test(value)));
  });
}

/** The records every filter matches (AND; within a filter, any value: OR), tags by `tag:<key>`, `tag-key`, `tag-value`. */
export function filterRecords<R>(records: readonly R[], filters: readonly Filter[] | undefined, fields: FilterFields<R>, tagsOf: (record: R) => readonly Tag[]): R[] {
  assertKnownFilters(filters, fields);
  return records.filter((record) => matchesFilters(record, filters ?? [], fields, tagsOf(record)));
}

export interface PageLimits {
  min: number;
  max: number;
  /** The ids parameter that cannot be combined with MaxResults (instanceId, groupId, ...). */
  idsParameter: string;
}

/** MaxResults out of range, or combined with explicit ids, is a client error (checked before any lookup). */
export function assertPageInput(input: { MaxResults?: number }, idsGiven: boolean, limits: PageLimits): void {
  if (input.MaxResults === undefined) return;
  if (idsGiven) throw serviceError('InvalidParameterCombination', 400, `The parameter ${limits.idsParameter} cannot be used with the parameter maxResults`);
  if (input.MaxResults < limits.min || input.MaxResults > limits.max) {
    throw serviceError('InvalidParameterValue', 400, `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value between ${limits.min} and ${limits.max}.`);
  }
}

/** A page as EC2 serves it: without MaxResults, everything. */
export function ec2Page<T>(items: readonly T[], input: { MaxResults?: number; NextToken?: string }, idsGiven: boolean, limits: PageLimits): { items: T[]; next?: string } {
  assertPageInput(input, idsGiven, limits);
  return page(items, input.NextToken, input.MaxResults ?? Math.max(1, items.length));
}

/** `{ NextToken }` when there is a next page. */
export function nextTokenField(next: string | undefined): { NextToken?: string } {
  return next ? { NextToken: next } : {};
}
