/**
 * Two Systems Manager Command documents, tagged, whose only step runs
 * `true` on Linux: `misconfiguration-maker-document-<account>-<region>`
 * shared with all AWS accounts (public: what anyone can read or run is a
 * command that does nothing), and `misconfiguration-maker-shared-document-<account>-<region>`
 * shared with the nonexistent account 000000000000 (shared_unknown_account:
 * nobody can act as that account). Two, because a document is shared either
 * with "all" or with a list of accounts.
 *
 * Real AWS: documents cost nothing. An account whose Systems Manager
 * setting blocks public sharing of documents refuses the public share, and
 * the entry fails with AWS's message
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-ssm-sharing.html).
 * That AWS accepts a share with an account id that does not exist is not
 * verified here (the sandbox and moto accept any 12-digit id).
 * Teardown stops the sharing first: AWS deletes no document that is shared.
 */
import { CreateDocumentCommand, DeleteDocumentCommand, DescribeDocumentPermissionCommand, ModifyDocumentPermissionCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Config } from '../../services/core/config.ts';
import { RESOURCE_GONE_ERRORS } from '../../services/core/errors.ts';
import { MAKER_TAGS, NONEXISTENT_ACCOUNT, makerName, type MakerContext, type MisconfigurationEntry } from '../makerContract.ts';
import { unlessGone } from './unlessGone.ts';

export function makerDocumentName(account: string, region: string): string {
  return makerName('document', account, region);
}

export function makerSharedDocumentName(account: string, region: string): string {
  return makerName('shared-document', account, region);
}

export const MAKER_DOCUMENT_CONTENT = JSON.stringify({
  schemaVersion: '2.2',
  description: 'misconfiguration-maker: does nothing',
  mainSteps: [{ action: 'aws:runShellScript', name: 'nothing', precondition: { StringEquals: ['platformType', 'Linux'] }, inputs: { runCommand: ['true'] } }],
});

/** Each document the entry makes, and who it is shared with. */
function documentsOf(account: string, region: string): { name: string; shareWith: string }[] {
  return [
    { name: makerDocumentName(account, region), shareWith: 'all' },
    { name: makerSharedDocumentName(account, region), shareWith: NONEXISTENT_ACCOUNT },
  ];
}

/** Who the document is shared with, or undefined when there is no such document. */
async function sharing(context: MakerContext, name: string): Promise<string[] | undefined> {
  const found = await unlessGone(
    () => context.clients.get(SSMClient).send(new DescribeDocumentPermissionCommand({ Name: name, PermissionType: 'Share' })),
    RESOURCE_GONE_ERRORS.ssm_document,
    undefined,
  );
  return found ? (found.AccountIds ?? []) : undefined;
}

async function teardownDocument(context: MakerContext, name: string): Promise<boolean> {
  const ssm = context.clients.get(SSMClient);
  const sharedWith = await sharing(context, name);
  if (sharedWith === undefined) return false;
  // "all" goes alone, as ModifyDocumentPermission requires.
  const everyone = sharedWith.filter((id) => id.toLowerCase() === 'all');
  const accounts = sharedWith.filter((id) => id.toLowerCase() !== 'all');
  for (const remove of [everyone, accounts]) {
    if (remove.length > 0) await ssm.send(new ModifyDocumentPermissionCommand({ Name: name, PermissionType: 'Share', AccountIdsToRemove: remove }));
  }
  const deleted = await unlessGone(() => ssm.send(new DeleteDocumentCommand({ Name: name })), RESOURCE_GONE_ERRORS.ssm_document, undefined);
  return deleted !== undefined;
}

export const ssmDocumentMaker: MisconfigurationEntry = {
  type: 'ssm_document',
  scope: 'regional',
  provokes: (config: Config) => ['ssm_document.public', ...(config.trustedAccounts.includes(NONEXISTENT_ACCOUNT) ? [] : ['ssm_document.shared_unknown_account'])],
  plan: (account, region) =>
    documentsOf(account, region).map(({ name, shareWith }) => `SSM document ${name}: a Command document that runs \`true\`, shared with ${shareWith === 'all' ? 'all AWS accounts' : `account ${shareWith}`}`),
  async create(context) {
    const ssm = context.clients.get(SSMClient);
    const made: string[] = [];
    for (const { name, shareWith } of documentsOf(context.account, context.region)) {
      if ((await sharing(context, name)) === undefined) {
        await ssm.send(new CreateDocumentCommand({ Name: name, Content: MAKER_DOCUMENT_CONTENT, DocumentType: 'Command', DocumentFormat: 'JSON', Tags: [...MAKER_TAGS] }));
      }
      // Made or reused: share it again (a remediation may have stopped it).
      await ssm.send(new ModifyDocumentPermissionCommand({ Name: name, PermissionType: 'Share', AccountIdsToAdd: [shareWith] }));
      made.push(name);
    }
    return made;
  },
  async teardown(context) {
    const removed: string[] = [];
    for (const { name } of documentsOf(context.account, context.region)) if (await teardownDocument(context, name)) removed.push(name);
    return removed;
  },
};
