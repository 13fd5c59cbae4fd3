/**
 * Whether an AWS API operation only reads: its name starts with a read verb
 * (Describe, Get, List, Head, ...). Everything else is treated as a mutation
 * (the remediation brakes count it, the integration tests record it). Takes
 * the operation name (`PutBucketPolicy`) or the SDK command's class name
 * (`PutBucketPolicyCommand`).
 */
const READ_ONLY = /^(Describe|Get|List|Head|Lookup|Search|Check|BatchGet)/;

export function isReadOnlyCommand(name: string): boolean {
  return READ_ONLY.test(name.replace(/Command$/, ''));
}
