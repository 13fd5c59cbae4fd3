/** CloudTrail calls that trigger an audit of ssm_document (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

// Systems Manager speaks JSON: CloudTrail writes the request members in lower
// camel case, so the document's Name is requestParameters.name in both calls
// (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateDocument.html,
// API_ModifyDocumentPermission.html; https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-cloudtrail-logs.html).
export const ssmDocumentTriggers: readonly CloudTrailTrigger[] = [
  { eventSource: 'ssm.amazonaws.com', eventNames: ['CreateDocument', 'ModifyDocumentPermission'], idPath: 'requestParameters.name' },
];
