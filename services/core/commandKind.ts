/**
 * Whether an AWS API operation only reads, decided in one place: its name is
 * a read verb followed by a capital (`DescribeInstances`, `GetBucketAcl`,
 * `BatchGetAccountStatus`), the names AWS gives the List and Read access
 * levels of the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * Everything else is treated as a mutation (the remediation brakes count it,
 * the integration tests record it, the audit role may not hold it).
 */
const READ_VERBS = ['Describe', 'Get', 'List', 'Head', 'BatchGet', 'Search', 'Lookup', 'Check'] as const;

/** Takes the operation name (`PutBucketPolicy`) or the SDK command's class name (`PutBucketPolicyCommand`). */
export function isReadOnlyCommand(name: string): boolean {
  const operation = name.replace(/Command$/, '');
  return READ_VERBS.some((verb) => operation.startsWith(verb) && /^[A-Z]/.test(operation.slice(verb.length)));
}
