/**
 * Resources made by the misconfiguration maker carry this name prefix and
 * this tag, so `poller --only-test-resources` keeps exactly them.
 */
export const TEST_RESOURCE_PREFIX = 'misconfiguration-maker-';
export const TEST_RESOURCE_TAG = { key: 'created-by', value: 'misconfiguration-maker' } as const;

export function isTestResource(resource: { id: string; name?: string; tags?: Readonly<Record<string, string>> }): boolean {
  if (resource.tags?.[TEST_RESOURCE_TAG.key] === TEST_RESOURCE_TAG.value) return true;
  const name = resource.name ?? resource.id;
  return name.startsWith(TEST_RESOURCE_PREFIX) || (resource.id.split(/[/:]/).pop() ?? '').startsWith(TEST_RESOURCE_PREFIX);
}
