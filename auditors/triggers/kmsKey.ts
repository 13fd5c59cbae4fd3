/** CloudTrail calls that trigger an audit of kms_key (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

/**
 * The key id a KMS call names: the caller may give the key id or the key ARN
 * (`arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
 * the auditor lists and collects by key id.
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id-key-id
 */
export function keyIdOf(value: string): string {
  const marker = value.lastIndexOf(':key/');
  return value.startsWith('arn:') && marker >= 0 ? value.slice(marker + ':key/'.length) : value;
}

// Field names from the KMS CloudTrail examples: CreateKey names the key in
// responseElements.keyMetadata.keyId (https://docs.aws.amazon.com/kms/latest/developerguide/ct-createkey.html);
// the calls on a key name it as given in requestParameters.keyId
// (https://docs.aws.amazon.com/kms/latest/developerguide/ct-enablekeyrotation.html, ct-putkeypolicy.html, ct-schedule-key-deletion.html).
export const kmsKeyTriggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'kms.amazonaws.com', eventNames: ['CreateKey'], idPath: 'responseElements.keyMetadata.keyId' },
  {
    eventSource: 'kms.amazonaws.com',
    eventNames: ['PutKeyPolicy', 'EnableKeyRotation', 'DisableKeyRotation', 'ScheduleKeyDeletion'],
    idPath: 'requestParameters.keyId',
    transformId: keyIdOf,
  },
];
