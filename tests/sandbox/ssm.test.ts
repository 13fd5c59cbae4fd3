import {
  CreateDocumentCommand,
  DeleteDocumentCommand,
  DescribeDocumentCommand,
  DescribeDocumentPermissionCommand,
  GetParameterCommand,
  ListDocumentsCommand,
  ModifyDocumentPermissionCommand,
  SSMClient,
  paginateListDocuments,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/context.ts';
import { expectAwsError } from '../helpers/expectAwsError.ts';
import { sandboxOrganization, type SandboxOrganization } from '../helpers/sandboxOrganization.ts';

const CONTENT = JSON.stringify({ schemaVersion: '2.2', description: 'noop', mainSteps: [{ action: 'aws:runShellScript', name: 'noop', inputs: { runCommand: ['true'] } }] });

let org: SandboxOrganization;
let ssm: SSMClient;

async function shared(name: string): Promise<string[] | undefined> {
  return (await ssm.send(new DescribeDocumentPermissionCommand({ Name: name, PermissionType: 'Share' }))).AccountIds;
}

beforeEach(() => {
  org = sandboxOrganization();
  ssm = org.clients().get(SSMClient);
});

describe('SSM documents', () => {
  it('creates a document owned by the account, described and listed as the account\'s own', async () => {
    const { DocumentDescription } = await ssm.send(new CreateDocumentCommand({ Name: 'Restart-Orders', Content: CONTENT, DocumentType: 'Command', Tags: [{ Key: 'team', Value: 'orders' }] }));
    expect(DocumentDescription).toMatchObject({ Name: 'Restart-Orders', Owner: ACCOUNT, DocumentType: 'Command', SchemaVersion: '2.2', Tags: [{ Key: 'team', Value: 'orders' }] });
    expect((await ssm.send(new DescribeDocumentCommand({ Name: 'Restart-Orders' }))).Document?.Owner).toBe(ACCOUNT);
    expect((await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Owner', Values: ['Self'] }] }))).DocumentIdentifiers?.map((d) => d.Name)).toEqual(['Restart-Orders']);
    expect((await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Owner', Values: ['Amazon'] }] }))).DocumentIdentifiers).toEqual([]);
    await expectAwsError(ssm.send(new CreateDocumentCommand({ Name: 'Restart-Orders', Content: CONTENT })), { name: 'DocumentAlreadyExists', status: 400 });
    await expectAwsError(ssm.send(new CreateDocumentCommand({ Name: 'aws-mine', Content: CONTENT })), { name: 'ValidationException', status: 400 });
    await expectAwsError(ssm.send(new DescribeDocumentCommand({ Name: 'Nothing-Here' })), { name: 'InvalidDocument', status: 400, message: /does not exist/ });
  });

  it('pages ListDocuments with MaxResults and NextToken', async () => {
    for (const name of ['doc-a', 'doc-b', 'doc-c']) await ssm.send(new CreateDocumentCommand({ Name: name, Content: CONTENT }));
    const names: string[] = [];
    for await (const page of paginateListDocuments({ client: ssm, pageSize: 2 }, { Filters: [{ Key: 'Owner', Values: ['Self'] }] })) names.push(...(page.DocumentIdentifiers ?? []).map((d) => d.Name ?? ''));
    expect(names).toEqual(['doc-a', 'doc-b', 'doc-c']);
  });

  it('shares with all or with accounts, one or the other; removes either; deletes only an unshared document', async () => {
    await ssm.send(new CreateDocumentCommand({ Name: 'doc', Content: CONTENT }));
    await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc', PermissionType: 'Share', AccountIdsToAdd: [OTHER_ACCOUNT] }));
    expect(await shared('doc')).toEqual([OTHER_ACCOUNT]);
    await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc', PermissionType: 'Share', AccountIdsToAdd: ['All'] }));
    expect(await shared('doc')).toEqual(['All']);
    await expectAwsError(ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc', PermissionType: 'Share', AccountIdsToAdd: ['all', OTHER_ACCOUNT] })), { name: 'DocumentPermissionLimit', status: 400 });
    await expectAwsError(ssm.send(new DeleteDocumentCommand({ Name: 'doc' })), { name: 'InvalidDocumentOperation', status: 400 });
    await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'doc', PermissionType: 'Share', AccountIdsToRemove: ['all'] }));
    expect(await shared('doc')).toEqual([]);
    await ssm.send(new DeleteDocumentCommand({ Name: 'doc' }));
    await expectAwsError(shared('doc'), { name: 'InvalidDocument', status: 400 });
  });

  it('models no parameters: a member account\'s GetParameter fails loudly', async () => {
    await expect(ssm.send(new GetParameterCommand({ Name: '/compliance/exceptions' }))).rejects.toThrow('the sandbox does not implement SSM GetParameter');
  });
});
