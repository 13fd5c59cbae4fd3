/**
 * BatchImportFindings for one (account, region): ASFF findings about that
 * account, sent with that account's own clients (the member audit role) in
 * that region, 100 per request. The findings a request answers in
 * FailedFindings are sent once more, then reported; throttling is retried by
 * the SDK (the factory's MAX_ATTEMPTS). A request refused as a whole
 * (AccessDenied, Security Hub not enabled) is reported with what to do.
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsClients } from '../core/clientFactory.ts';
import { awsErrorName, describeError, isAccessDenied } from '../core/errors.ts';
import { defaultProductArn } from '../exports/asff.ts';

/** At most 100 findings per request (and 240 KB per finding): https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html */
export const IMPORT_BATCH_SIZE = 100;

/** The one write the audit role holds, on its own account's default product only (member-account/memberPermissions.ts). */
export const IMPORT_ACTION = 'securityhub:BatchImportFindings';

/**
 * The account is not subscribed to Security Hub (or the product is not enabled): the whole request
 * answers InvalidAccessException, a finding in FailedFindings answers InvalidAccess.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html
 */
const NOT_ENABLED = ['InvalidAccessException', 'InvalidAccess'] as const;

/** One finding Security Hub did not take: ImportFindingsError's Id, ErrorCode, ErrorMessage (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_ImportFindingsError.html). */
export interface ImportFailure {
  findingId: string;
  errorCode: string;
  errorMessage: string;
}

export interface ImportResult {
  account: string;
  region: string;
  imported: number;
  failures: ImportFailure[];
}

/** Whose role sends the findings, for the messages that say what to fix. */
export interface ImportingRole {
  roleName: string;
}

function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** What a refused request or finding means here, and what to do about it. */
export function importRefusal(errorCode: string, message: string, clients: Pick<AwsClients, 'account' | 'region'>, role: ImportingRole): string {
  const { account, region } = clients;
  const product = defaultProductArn(account, region);
  if (isAccessDenied({ name: errorCode })) {
    return `${errorCode}: ${message}. The audit role ${role.roleName} of account ${account} needs ${IMPORT_ACTION} on ${product}: update the member-account stack there (member-account/template.json, npm run build:member-account)`;
  }
  if ((NOT_ENABLED as readonly string[]).includes(errorCode)) {
    return `${errorCode}: ${message}. Security Hub is not enabled in account ${account} ${region}: enable it there (or set securityHub=false)`;
  }
  return `${errorCode}: ${message}`;
}

/** A request failed as a whole: every finding of the batch failed with its error. */
function failedRequest(batch: readonly AwsSecurityFinding[], error: unknown, clients: AwsClients, role: ImportingRole): ImportFailure[] {
  const errorCode = awsErrorName(error);
  const errorMessage = importRefusal(errorCode, error instanceof Error ? error.message : describeError(error), clients, role);
  return batch.map((finding) => ({ findingId: finding.Id ?? '', errorCode, errorMessage }));
}

/** After these, the next request of the account and region fails the same way: not sent. */
function refusesEveryRequest(error: unknown): boolean {
  return isAccessDenied(error) || (NOT_ENABLED as readonly string[]).includes(awsErrorName(error));
}

async function send(client: SecurityHubClient, batch: readonly AwsSecurityFinding[], clients: AwsClients, role: ImportingRole): Promise<ImportFailure[]> {
  const { FailedFindings = [] } = await client.send(new BatchImportFindingsCommand({ Findings: [...batch] }));
  return FailedFindings.map((failed) => ({
    findingId: failed.Id ?? '',
    errorCode: failed.ErrorCode ?? 'Unknown',
    errorMessage: importRefusal(failed.ErrorCode ?? 'Unknown', failed.ErrorMessage ?? 'no message', clients, role),
  }));
}

/**
 * Import findings about `clients.account` in `clients.region`. Never throws
 * for an AWS error: what failed is in `failures`. Throws only when given a
 * finding of another account or product (a caller's bug: Security Hub would
 * refuse it).
 */
export async function importAccountFindings(clients: AwsClients, findings: readonly AwsSecurityFinding[], role: ImportingRole): Promise<ImportResult> {
  const product = defaultProductArn(clients.account, clients.region);
  const foreign = findings.find((finding) => finding.AwsAccountId !== clients.account || finding.ProductArn !== product);
  if (foreign) throw new Error(`finding ${foreign.Id ?? '(no Id)'} is about ${foreign.AwsAccountId ?? '?'} through ${foreign.ProductArn ?? '?'}: account ${clients.account} imports only its own findings, through ${product}`);
  const client = clients.get(SecurityHubClient);
  const result: ImportResult = { account: clients.account, region: clients.region, imported: 0, failures: [] };
  const batches = batchesOf(findings, IMPORT_BATCH_SIZE);
  for (const [index, batch] of batches.entries()) {
    let failed: ImportFailure[];
    try {
      failed = await send(client, batch, clients, role);
    } catch (error) {
      const rest = refusesEveryRequest(error) ? batches.slice(index).flat() : batch;
      result.failures.push(...failedRequest(rest, error, clients, role));
      if (rest !== batch) break;
      continue;
    }
    if (failed.length > 0) {
      // Once more, only the findings that failed.
      const ids = new Set(failed.map((f) => f.findingId));
      const again = batch.filter((finding) => ids.has(finding.Id ?? ''));
      try {
        failed = await send(client, again, clients, role);
      } catch (error) {
        failed = failedRequest(again, error, clients, role);
      }
    }
    result.imported += batch.length - failed.length;
    result.failures.push(...failed);
  }
  return result;
}
