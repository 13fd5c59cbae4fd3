/**
 * ssm_document: Systems Manager documents the account owns, shared with
 * everyone (SSM.4: the share list holds "all") or with an account outside
 * the organization and the trusted list. A shared document can be run by
 * whoever it is shared with, and shows them its content (scripts, parameters,
 * sometimes names of internal resources).
 *
 * APIs: ListDocuments (Filters Owner=Self), DescribeDocument (tags),
 * DescribeDocumentPermission (PermissionType Share); remediation:
 * ModifyDocumentPermission (AccountIdsToRemove: only what is wrong).
 * CloudTrail: CreateDocument, ModifyDocumentPermission (requestParameters.name).
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-ssm-sharing.html
 */
import {
  DescribeDocumentCommand,
  DescribeDocumentPermissionCommand,
  ModifyDocumentPermissionCommand,
  SSMClient,
  paginateListDocuments,
} from '@aws-sdk/client-ssm';
import { RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';
import { GONE, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import { ssmDocumentTriggers } from './triggers/ssmDocument.ts';

export interface SsmDocumentState {
  name: string;
  /** Who the document is shared with, as DescribeDocumentPermission answers: account ids, or "all" (any case: ModifyDocumentPermission takes "All" too). */
  sharedWith: string[];
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

/** "all" (or "All") in the share list: anyone may use the document. */
export function isPublicShare(accountId: string): boolean {
  return accountId.toLowerCase() === 'all';
}

/** The accounts the document is shared with that are neither the owner nor trusted. */
export function unknownAccounts(sharedWith: readonly string[], account: string, trustedAccounts: ReadonlySet<string>): string[] {
  return sharedWith.filter((id) => !isPublicShare(id) && id !== account && !trustedAccounts.has(id));
}

// ---------- reads ----------

function ssm(context: ResourceContext): SSMClient {
  return context.clients.get(SSMClient);
}

/** Everyone the document is shared with (MaxResults 1 to 200: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeDocumentPermission.html). */
async function readSharing(context: ResourceContext): Promise<string[]> {
  const accounts: string[] = [];
  let token: string | undefined;
  do {
    const page = await ssm(context).send(new DescribeDocumentPermissionCommand({ Name: context.id, PermissionType: 'Share', MaxResults: 200, ...(token ? { NextToken: token } : {}) }));
    accounts.push(...(page.AccountIds ?? []));
    token = page.NextToken;
  } while (token);
  return accounts;
}

async function readDocument(context: ResourceContext): Promise<SsmDocumentState | Gone> {
  try {
    const { Document } = await ssm(context).send(new DescribeDocumentCommand({ Name: context.id }));
    if (!Document?.Name) return GONE;
    return { name: Document.Name, sharedWith: await readSharing(context), tags: tagsToRecord(Document.Tags) };
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.ssm_document)) return GONE;
    throw error;
  }
}

/** Stop sharing with these: one call ("all" goes alone, as ModifyDocumentPermission requires). */
async function unshare(context: ResourceContext, accountIds: readonly string[]): Promise<void> {
  await ssm(context).send(new ModifyDocumentPermissionCommand({ Name: context.id, PermissionType: 'Share', AccountIdsToRemove: [...accountIds] }));
}

// ---------- the auditor ----------

export const ssmDocumentAuditor = defineAuditor<SsmDocumentState>({
  type: 'ssm_document',
  scope: 'regional',
  description: 'Systems Manager documents the account owns: shared publicly or with unknown accounts',
  permissions: {
    list: ['ssm:ListDocuments'],
    collect: ['ssm:DescribeDocument', 'ssm:DescribeDocumentPermission'],
  },
  triggers: ssmDocumentTriggers,

  async *list({ clients }) {
    // MaxResults 1 to 50: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListDocuments.html
    for await (const page of paginateListDocuments({ client: clients.get(SSMClient), pageSize: 50 }, { Filters: [{ Key: 'Owner', Values: ['Self'] }] })) {
      for (const document of page.DocumentIdentifiers ?? []) {
        if (document.Name) yield { id: document.Name, name: document.Name, tags: tagsToRecord(document.Tags) };
      }
    }
  },

  collect: readDocument,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'ssm_document.public',
      title: 'Systems Manager document is shared publicly',
      severity: 'critical',
      rationale: 'Any AWS account can read and run a public document: its scripts, parameters and the names of what it touches are exposed to everyone.',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/ssm-controls.html#ssm-4 (no CIS v3.0.0 requirement)
      controls: { fsbp: ['SSM.4'] },
      evaluate(state) {
        return state.sharedWith.some(isPublicShare) ? { detail: 'shared with all AWS accounts' } : undefined;
      },
    },
    {
      id: 'ssm_document.shared_unknown_account',
      title: 'Systems Manager document is shared with an unknown account',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted list can read and run the document.',
      controls: OWN_RULE.sharing,
      evaluate(state, { account, trustedAccounts }) {
        const unknown = unknownAccounts(state.sharedWith, account, trustedAccounts);
        return unknown.length === 0 ? undefined : { detail: `shared with ${unknown.join(', ')}` };
      },
    },
  ],

  remediations: {
    'ssm_document.public': {
      description: 'Stop sharing the document publicly (remove "all" from its share list); accounts it is shared with by id keep it.',
      risk: 'safe',
      permissions: ['ssm:DescribeDocument', 'ssm:DescribeDocumentPermission', 'ssm:ModifyDocumentPermission'],
      async apply(context) {
        const document = await readDocument(context);
        if (document === GONE) return 'gone';
        const everyone = document.sharedWith.filter(isPublicShare);
        if (everyone.length === 0) return 'already_compliant';
        await unshare(context, everyone.slice(0, 1));
        return 'applied';
      },
    },
    'ssm_document.shared_unknown_account': {
      description: 'Stop sharing the document with the unknown accounts only.',
      risk: 'safe',
      permissions: ['ssm:DescribeDocument', 'ssm:DescribeDocumentPermission', 'ssm:ModifyDocumentPermission'],
      async apply(context, _state, { account, trustedAccounts }) {
        const document = await readDocument(context);
        if (document === GONE) return 'gone';
        const unknown = unknownAccounts(document.sharedWith, account, trustedAccounts);
        if (unknown.length === 0) return 'already_compliant';
        await unshare(context, unknown);
        return 'applied';
      },
    },
  },
});
