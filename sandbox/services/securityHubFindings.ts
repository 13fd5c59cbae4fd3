/**
 * The sandbox's Security Hub findings, per (account, region): what
 * BatchImportFindings imports and GetFindings reads, enough for tests and the
 * demo to see what the remediator sends. The rules kept:
 * - at most 100 findings per request, each about the calling account through
 *   its default product (product/<account>/default), with the ASFF required
 *   attributes (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html);
 * - an account not subscribed gets each finding back in FailedFindings with
 *   InvalidAccess (https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html);
 * - a finding is updated when its Id (and ProductArn) exists; Workflow, Note,
 *   UserDefinedFields and VerificationState are kept from the existing finding
 *   (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html),
 *   except that Workflow NOTIFIED/RESOLVED goes back to NEW when RecordState goes
 *   ARCHIVED -> ACTIVE or Compliance PASSED -> FAILED
 *   (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Workflow.html).
 */
import type {
  AwsSecurityFinding,
  AwsSecurityFindingFilters,
  BatchImportFindingsCommandInput,
  BatchImportFindingsCommandOutput,
  GetFindingsCommandInput,
  GetFindingsCommandOutput,
  ImportFindingsError,
  StringFilter,
} from '@aws-sdk/client-securityhub';
import { defaultProductArn } from '../../services/exports/asff.ts';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, type OperationContext, type OperationHandler, type Output } from '../serviceModel.ts';

const MAX_FINDINGS_PER_REQUEST = 100;

const REQUIRED_ATTRIBUTES = ['AwsAccountId', 'CreatedAt', 'Description', 'GeneratorId', 'Id', 'ProductArn', 'Resources', 'SchemaVersion', 'Severity', 'Title', 'Types', 'UpdatedAt'] as const;

/** What the finding provider cannot change once the finding exists: the customer's investigation. */
const CUSTOMER_FIELDS = ['Workflow', 'WorkflowState', 'Note', 'UserDefinedFields', 'VerificationState'] as const;

/** The GetFindings filters the sandbox answers (EQUALS / NOT_EQUALS), and where each reads the finding. */
const FILTERS: Readonly<Partial<Record<keyof AwsSecurityFindingFilters, (finding: AwsSecurityFinding) => string | undefined>>> = {
  Id: (f) => f.Id,
  ProductArn: (f) => f.ProductArn,
  AwsAccountId: (f) => f.AwsAccountId,
  GeneratorId: (f) => f.GeneratorId,
  RecordState: (f) => f.RecordState,
  ComplianceStatus: (f) => f.Compliance?.Status,
  WorkflowStatus: (f) => f.Workflow?.Status,
  ComplianceSecurityControlId: (f) => f.Compliance?.SecurityControlId,
};

function findingsOf(context: OperationContext): Map<string, AwsSecurityFinding> {
  return context.regional<Map<string, AwsSecurityFinding>>('securityhub-findings', () => new Map());
}

function failure(finding: AwsSecurityFinding, code: 'InvalidInput' | 'InvalidAccess', message: string): ImportFindingsError {
  return { Id: finding.Id ?? '', ErrorCode: code, ErrorMessage: message };
}

/** Why Security Hub would not take this finding from this account, if it would not. */
function refusal(context: OperationContext, finding: AwsSecurityFinding, subscribed: boolean): ImportFindingsError | undefined {
  if (!subscribed) return failure(finding, 'InvalidAccess', `Account ${context.account} is not subscribed to AWS Security Hub`);
  const missing = REQUIRED_ATTRIBUTES.filter((name) => finding[name] === undefined || finding[name] === '' || (Array.isArray(finding[name]) && finding[name].length === 0));
  if (missing.length > 0) return failure(finding, 'InvalidInput', `Finding does not adhere to Amazon Security Finding Format: missing ${missing.join(', ')}`);
  const product = defaultProductArn(context.account, context.region);
  if (finding.AwsAccountId !== context.account || finding.ProductArn !== product) {
    return failure(finding, 'InvalidAccess', `Account ${context.account} can import findings only about itself through ${product} (got ${finding.AwsAccountId ?? '?'} through ${finding.ProductArn ?? '?'})`);
  }
  return undefined;
}

/** The workflow a provider's update leaves: the existing one, reset to NEW when the finding comes back. */
function workflowAfter(existing: AwsSecurityFinding, update: AwsSecurityFinding): AwsSecurityFinding['Workflow'] {
  const status = existing.Workflow?.Status ?? 'NEW';
  const reopened = (existing.RecordState === 'ARCHIVED' && update.RecordState === 'ACTIVE') || (existing.Compliance?.Status === 'PASSED' && update.Compliance?.Status === 'FAILED');
  return { Status: reopened && (status === 'NOTIFIED' || status === 'RESOLVED') ? 'NEW' : status };
}

function imported(existing: AwsSecurityFinding | undefined, finding: AwsSecurityFinding): AwsSecurityFinding {
  if (!existing) return { ...finding, Workflow: finding.Workflow ?? { Status: 'NEW' }, RecordState: finding.RecordState ?? 'ACTIVE' };
  const kept = Object.fromEntries(CUSTOMER_FIELDS.flatMap((name) => (existing[name] === undefined ? [] : [[name, existing[name]]])));
  const updated: AwsSecurityFinding = { ...existing, ...finding, ...kept, Workflow: workflowAfter(existing, finding) };
  return updated;
}

function matches(finding: AwsSecurityFinding, filters: AwsSecurityFindingFilters): boolean {
  for (const [name, conditions] of Object.entries(filters) as [keyof AwsSecurityFindingFilters, StringFilter[] | undefined][]) {
    if (!conditions || conditions.length === 0) continue;
    const read = FILTERS[name];
    if (!read) throw serviceError('InvalidInputException', 400, `the sandbox's GetFindings does not filter on ${name}; add it in sandbox/services/securityHubFindings.ts`);
    const value = read(finding);
    // Conditions on one attribute: EQUALS ones are ORed, NOT_EQUALS ones ANDed.
    const equals = conditions.filter((c) => (c.Comparison ?? 'EQUALS') === 'EQUALS');
    const notEquals = conditions.filter((c) => c.Comparison === 'NOT_EQUALS');
    const other = conditions.find((c) => c.Comparison !== undefined && c.Comparison !== 'EQUALS' && c.Comparison !== 'NOT_EQUALS');
    if (other) throw serviceError('InvalidInputException', 400, `the sandbox's GetFindings does not compare with ${other.Comparison ?? '?'}`);
    if (equals.length > 0 && !equals.some((c) => c.Value === value)) return false;
    if (notEquals.some((c) => c.Value === value)) return false;
  }
  return true;
}

/** The findings operations; `subscribed` tells whether the account has Security Hub on in the region. */
export function securityHubFindingsOperations(subscribed: (context: OperationContext) => boolean): Record<string, OperationHandler> {
  return {
    BatchImportFindings: operation((context, input: BatchImportFindingsCommandInput): Output<BatchImportFindingsCommandOutput> => {
      const findings = input.Findings ?? [];
      if (findings.length < 1 || findings.length > MAX_FINDINGS_PER_REQUEST) {
        throw serviceError('InvalidInputException', 400, `Findings must contain 1 to ${MAX_FINDINGS_PER_REQUEST} findings (got ${findings.length})`);
      }
      const isSubscribed = subscribed(context);
      const stored = findingsOf(context);
      const failed: ImportFindingsError[] = [];
      for (const finding of findings) {
        const refused = refusal(context, finding, isSubscribed);
        if (refused) {
          failed.push(refused);
          continue;
        }
        const key = `${finding.ProductArn ?? ''} ${finding.Id ?? ''}`;
        stored.set(key, imported(stored.get(key), finding));
      }
      return { FailedCount: failed.length, SuccessCount: findings.length - failed.length, FailedFindings: failed };
    }),

    GetFindings: operation((context, input: GetFindingsCommandInput): Output<GetFindingsCommandOutput> => {
      if (!subscribed(context)) throw serviceError('InvalidAccessException', 401, `Account ${context.account} is not subscribed to AWS Security Hub`);
      const size = input.MaxResults ?? 100;
      if (size < 1 || size > 100) throw serviceError('InvalidInputException', 400, `MaxResults ${size} is not between 1 and 100`);
      const all = [...findingsOf(context).values()].filter((finding) => matches(finding, input.Filters ?? {}));
      const { items, next } = page(all, input.NextToken, size);
      return { Findings: items, ...(next ? { NextToken: next } : {}) };
    }),
  };
}
