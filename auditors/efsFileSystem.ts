/**
 * efs_file_system: EFS file systems without encryption at rest (FSBP EFS.1,
 * CIS v3.0.0 2.4.1; notify-only: encryption is chosen when a file system is
 * created, https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html),
 * and file system policies open to everyone or shared with unknown accounts.
 *
 * No policy is no finding: EFS then applies its default policy, which grants
 * full access to every client that can reach a mount target over the
 * network, with or without IAM (DescribeFileSystemPolicy answers
 * PolicyNotFound): https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html
 * Who reaches a mount target is the security groups' business. For the same
 * reason a remediation never deletes a policy: removing the last statement
 * would bring back the default, which lets every reachable client in. It
 * removes only the public statements (or unknown accounts) and keeps the
 * rest; when nothing would be left, the finding is notify-only.
 *
 * APIs: DescribeFileSystems (list: Marker/NextMarker, 100 a page; collect:
 * FileSystemId), DescribeFileSystemPolicy; remediation: PutFileSystemPolicy.
 * CloudTrail: CreateFileSystem (responseElements.fileSystemId),
 * PutFileSystemPolicy (requestParameters.fileSystemId).
 */
import {
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  EFSClient,
  PutFileSystemPolicyCommand,
  paginateDescribeFileSystems,
  type FileSystemDescription,
} from '@aws-sdk/client-efs';
import { ComplianceError, RESOURCE_GONE_ERRORS, hasErrorName } from '../services/core/errors.ts';
import { OWN_RULE } from '../services/core/frameworks.ts';
import { GONE, NotReady, defineAuditor, tagsToRecord, type Gone, type ResourceContext } from './contract.ts';
import {
  isPublicStatement,
  parsePolicyDocument,
  publicPolicyViolation,
  publicStatements,
  serialisePolicyDocument,
  unknownAccountViolation,
  untrustedGrants,
  withoutStatements,
  withoutUntrustedAccounts,
  type PolicyDocument,
} from './policy/index.ts';
import { efsFileSystemTriggers } from './triggers/efsFileSystem.ts';

/** DescribeFileSystemPolicy's answer for a file system under the default policy. */
const NO_POLICY_ERRORS = ['PolicyNotFound'] as const;
/** LifeCycleState values of a file system on its way out: https://docs.aws.amazon.com/efs/latest/ug/API_FileSystemDescription.html */
const ENDING_STATES: ReadonlySet<string> = new Set(['deleting', 'deleted']);

export interface FileSystemState {
  fileSystemId: string;
  encrypted: boolean;
  /** undefined: the default policy applies (no file system policy). */
  policy?: PolicyDocument;
  tags: Readonly<Record<string, string>>;
}

// ---------- pure ----------

/**
 * The policy a narrowing leaves, or undefined when no statement would be
 * left: deleting the policy would bring back EFS's default, which grants
 * every client that reaches a mount target full access, so nothing is
 * narrowed by it.
 */
export function narrowedPolicy(narrowed: PolicyDocument): PolicyDocument | undefined {
  return narrowed.Statement.length > 0 ? narrowed : undefined;
}

export function withoutPublicStatements(policy: PolicyDocument): PolicyDocument | undefined {
  return narrowedPolicy(withoutStatements(policy, isPublicStatement));
}

export function withoutUnknownAccounts(policy: PolicyDocument, account: string, trusted: ReadonlySet<string>): PolicyDocument | undefined {
  return narrowedPolicy(withoutUntrustedAccounts(policy, account, trusted));
}

// ---------- reads ----------

function efs(context: ResourceContext): EFSClient {
  return context.clients.get(EFSClient);
}

async function readPolicy(context: ResourceContext): Promise<PolicyDocument | undefined | Gone> {
  try {
    const { Policy } = await efs(context).send(new DescribeFileSystemPolicyCommand({ FileSystemId: context.id }));
    return Policy ? parsePolicyDocument(Policy) : undefined;
  } catch (error) {
    if (hasErrorName(error, ...NO_POLICY_ERRORS)) return undefined;
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.efs_file_system)) return GONE;
    throw error;
  }
}

async function readFileSystem(context: ResourceContext): Promise<FileSystemState | Gone | NotReady> {
  let description: FileSystemDescription | undefined;
  try {
    const { FileSystems } = await efs(context).send(new DescribeFileSystemsCommand({ FileSystemId: context.id }));
    description = FileSystems?.find((fileSystem) => fileSystem.FileSystemId === context.id);
  } catch (error) {
    if (hasErrorName(error, ...RESOURCE_GONE_ERRORS.efs_file_system)) return GONE;
    throw error;
  }
  if (!description || ENDING_STATES.has(description.LifeCycleState ?? '')) return GONE;
  if (description.LifeCycleState === 'creating') return new NotReady(`file system ${context.id} is still creating`, 60);
  const policy = await readPolicy(context);
  if (policy === GONE) return GONE;
  return { fileSystemId: context.id, encrypted: description.Encrypted === true, ...(policy ? { policy } : {}), tags: tagsToRecord(description.Tags) };
}

async function writePolicy(context: ResourceContext, policy: PolicyDocument): Promise<void> {
  await efs(context).send(new PutFileSystemPolicyCommand({ FileSystemId: context.id, Policy: serialisePolicyDocument(policy) }));
}

function refOf(context: ResourceContext) {
  return { account: context.account, region: context.region, type: 'efs_file_system', id: context.id };
}

function nothingLeft(context: ResourceContext, what: string): ComplianceError {
  return new ComplianceError(
    `removing ${what} would leave file system ${context.id} without a policy, and EFS's default policy grants every client that reaches a mount target full access: narrow the policy by hand`,
    refOf(context),
  );
}

function notAvailable(context: ResourceContext, notReady: NotReady): ComplianceError {
  return new ComplianceError(`${notReady.reason}: try again when it is available`, refOf(context));
}

// ---------- the auditor ----------

const POLICY_PERMISSIONS = ['elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeFileSystemPolicy', 'elasticfilesystem:PutFileSystemPolicy'] as const;

export const efsFileSystemAuditor = defineAuditor<FileSystemState>({
  type: 'efs_file_system',
  scope: 'regional',
  description: 'EFS file systems: encryption at rest, file system policies open to everyone or shared with unknown accounts',
  permissions: {
    list: ['elasticfilesystem:DescribeFileSystems'],
    collect: ['elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeFileSystemPolicy'],
  },
  triggers: efsFileSystemTriggers,

  async *list({ clients }) {
    const client = clients.get(EFSClient);
    // MaxItems: 100 a page at most: https://docs.aws.amazon.com/efs/latest/ug/API_DescribeFileSystems.html
    for await (const page of paginateDescribeFileSystems({ client, pageSize: 100 }, {})) {
      for (const fileSystem of page.FileSystems ?? []) {
        if (!fileSystem.FileSystemId) continue;
        const tags = tagsToRecord(fileSystem.Tags);
        yield { id: fileSystem.FileSystemId, name: fileSystem.Name ?? tags.Name, tags };
      }
    }
  },

  collect: readFileSystem,

  identity: (state) => ({ tags: state.tags }),

  checks: [
    {
      id: 'efs_file_system.unencrypted',
      title: 'EFS file system is not encrypted at rest',
      severity: 'medium',
      rationale: 'Without encryption at rest, file data and metadata are stored unencrypted; encryption can only be chosen when the file system is created (copy the data to an encrypted one).',
      // https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-1 (related requirement CIS v3.0.0 2.4.1)
      controls: { fsbp: ['EFS.1'], cis: ['2.4.1'] },
      evaluate(state) {
        return state.encrypted ? undefined : { detail: 'Encrypted is false' };
      },
    },
    {
      id: 'efs_file_system.public_policy',
      title: 'EFS file system policy allows access to everyone',
      severity: 'high',
      rationale:
        'An Allow to principal "*" without a condition limiting it to fixed accounts, an organization or a network lets any principal that reaches a mount target mount, write or act as root, IAM or not, and any account mount it across a peered network.',
      controls: { none: 'Security Hub has no FSBP or CIS v3.0.0 control for a public EFS file system policy (EFS.1-EFS.8 judge encryption, backups, access points, mount targets and tags)' },
      evaluate: (state) => publicPolicyViolation(state.policy),
    },
    {
      id: 'efs_file_system.shared_unknown_account',
      title: 'EFS file system policy grants access to an unknown account',
      severity: 'high',
      rationale: 'An account outside the organization and the trusted list can mount the file system from a network that reaches it, and read or write its files.',
      controls: OWN_RULE.sharing,
      evaluate: (state, { account, trustedAccounts }) => unknownAccountViolation(state.policy, account, trustedAccounts),
    },
  ],

  remediations: {
    'efs_file_system.public_policy': {
      description: 'Remove only the public statements; never delete the policy (EFS\'s default policy lets every reachable client in): notify-only when no statement would be left.',
      risk: 'safe',
      permissions: POLICY_PERMISSIONS,
      applicable: (state) => state.policy !== undefined && withoutPublicStatements(state.policy) !== undefined,
      async apply(context) {
        const fileSystem = await readFileSystem(context);
        if (fileSystem === GONE) return 'gone';
        if (fileSystem instanceof NotReady) throw notAvailable(context, fileSystem);
        if (!fileSystem.policy || publicStatements(fileSystem.policy).length === 0) return 'already_compliant';
        const narrowed = withoutPublicStatements(fileSystem.policy);
        if (!narrowed) throw nothingLeft(context, 'the public statements');
        await writePolicy(context, narrowed);
        return 'applied';
      },
    },
    'efs_file_system.shared_unknown_account': {
      description: 'Remove only the unknown accounts (a statement goes only if nothing is left of it); never delete the policy: notify-only when no statement would be left.',
      risk: 'safe',
      permissions: POLICY_PERMISSIONS,
      applicable: (state, { account, trustedAccounts }) => state.policy !== undefined && withoutUnknownAccounts(state.policy, account, trustedAccounts) !== undefined,
      async apply(context, _state, { account, trustedAccounts }) {
        const fileSystem = await readFileSystem(context);
        if (fileSystem === GONE) return 'gone';
        if (fileSystem instanceof NotReady) throw notAvailable(context, fileSystem);
        if (!fileSystem.policy || untrustedGrants(fileSystem.policy, account, trustedAccounts).length === 0) return 'already_compliant';
        const narrowed = withoutUnknownAccounts(fileSystem.policy, account, trustedAccounts);
        if (!narrowed) throw nothingLeft(context, 'the unknown accounts');
        await writePolicy(context, narrowed);
        return 'applied';
      },
    },
  },
});
