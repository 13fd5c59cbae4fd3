import { DescribeDocumentCommand, DescribeDocumentPermissionCommand, ListDocumentsCommand, ModifyDocumentPermissionCommand, SSMClient, type DocumentDescription } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GONE, type FailedCheck } from '../../auditors/contract.ts';
import { ssmDocumentAuditor } from '../../auditors/ssmDocument.ts';
import { ACCOUNT, OTHER_ACCOUNT, awsError, collectAll, makeCheckContext, makeListContext, makeResourceContext } from '../helpers/context.ts';
import { failedChecksOf } from '../helpers/failedChecksOf.ts';

const ssm = mockClient(SSMClient);
const NAME = 'Restart-Orders-Service';

/** DescribeDocument's Document for a Command document of the account. */
function document(overrides: Partial<DocumentDescription> = {}): DocumentDescription {
  return {
    Name: NAME,
    Hash: '1b5e0a3b7c1fd9b4c7e2a7d0c4f3b8e9a6d5c2b1f0e9d8c7b6a5f4e3d2c1b0a9',
    HashType: 'Sha256',
    Owner: ACCOUNT,
    CreatedDate: new Date('2026-06-03T08:12:44.000Z'),
    Status: 'Active',
    DocumentVersion: '1',
    PlatformTypes: ['Linux', 'MacOS'],
    DocumentType: 'Command',
    SchemaVersion: '2.2',
    LatestVersion: '1',
    DefaultVersion: '1',
    DocumentFormat: 'JSON',
    Tags: [{ Key: 'team', Value: 'orders' }],
    ...overrides,
  };
}

/** A document that behaves like SSM: DescribeDocumentPermission answers what ModifyDocumentPermission left. */
function givenDocument(sharedWith: string[]): { sharedWith: string[] } {
  const stored = { sharedWith: [...sharedWith] };
  ssm.on(DescribeDocumentCommand, { Name: NAME }).resolves({ Document: document() });
  ssm.on(DescribeDocumentPermissionCommand, { Name: NAME, PermissionType: 'Share' }).callsFake(() => ({
    AccountIds: [...stored.sharedWith],
    AccountSharingInfoList: stored.sharedWith.map((AccountId) => ({ AccountId, SharedDocumentVersion: '$DEFAULT' })),
  }));
  ssm.on(ModifyDocumentPermissionCommand, { Name: NAME, PermissionType: 'Share' }).callsFake((input: { AccountIdsToRemove?: string[] }) => {
    const remove = new Set((input.AccountIdsToRemove ?? []).map((id) => id.toLowerCase()));
    stored.sharedWith = stored.sharedWith.filter((id) => !remove.has(id.toLowerCase()));
    return {};
  });
  return stored;
}

async function failed(): Promise<FailedCheck[]> {
  return failedChecksOf(await ssmDocumentAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME)));
}

describe('ssm_document auditor', () => {
  beforeEach(() => ssm.reset());

  it('declares its APIs, triggers, controls and two safe remediations', () => {
    expect(ssmDocumentAuditor.permissions).toEqual({ list: ['ssm:ListDocuments'], collect: ['ssm:DescribeDocument', 'ssm:DescribeDocumentPermission'] });
    expect(ssmDocumentAuditor.triggers).toEqual([{ eventSource: 'ssm.amazonaws.com', eventNames: ['CreateDocument', 'ModifyDocumentPermission'], idPath: 'requestParameters.name' }]);
    expect(ssmDocumentAuditor.checks.map((c) => [c.id, c.severity])).toEqual([
      ['ssm_document.public', 'critical'],
      ['ssm_document.shared_unknown_account', 'high'],
    ]);
    expect(Object.entries(ssmDocumentAuditor.remediations).map(([id, r]) => [id, r.risk])).toEqual([
      ['ssm_document.public', 'safe'],
      ['ssm_document.shared_unknown_account', 'safe'],
    ]);
  });

  it('list asks for the account\'s own documents (Owner Self), 50 a page, and follows NextToken', async () => {
    const token = 'AAEAAX3kV0hNjT1cRm3Rm7rT0GmC0A2d';
    ssm.on(ListDocumentsCommand, { NextToken: undefined }).resolves({ DocumentIdentifiers: [{ Name: NAME, Owner: ACCOUNT, DocumentType: 'Command', Tags: [{ Key: 'team', Value: 'orders' }] }], NextToken: token });
    ssm.on(ListDocumentsCommand, { NextToken: token }).resolves({ DocumentIdentifiers: [{ Name: 'Patch-Web-Fleet', Owner: ACCOUNT, DocumentType: 'Automation' }] });
    expect(await collectAll(ssmDocumentAuditor.list(makeListContext()))).toEqual([
      { id: NAME, name: NAME, tags: { team: 'orders' } },
      { id: 'Patch-Web-Fleet', name: 'Patch-Web-Fleet', tags: {} },
    ]);
    expect(ssm.commandCalls(ListDocumentsCommand)[0]?.args[0].input).toMatchObject({ MaxResults: 50, Filters: [{ Key: 'Owner', Values: ['Self'] }] });
  });

  describe('checks', () => {
    it.each([
      ['shared with nobody', []],
      ['shared with a trusted account', [OTHER_ACCOUNT]],
    ])('a compliant document fails no check: %s', async (_name, sharedWith) => {
      givenDocument(sharedWith);
      expect(await failed()).toEqual([]);
    });

    it.each([['all'], ['All']])('public: shared with "%s"', async (everyone) => {
      givenDocument([everyone]);
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('ssm_document.public');
      expect(finding?.violation.detail).toBe('shared with all AWS accounts');
      expect(finding?.check.controls).toEqual({ fsbp: ['SSM.4'] });
      expect(finding?.tags).toEqual({ team: 'orders' });
    });

    it('shared_unknown_account: names only the unknown accounts', async () => {
      givenDocument([OTHER_ACCOUNT, '999999999999', '888888888888']);
      const [finding, ...rest] = await failed();
      expect(rest).toEqual([]);
      expect(finding?.check.id).toBe('ssm_document.shared_unknown_account');
      expect(finding?.violation.detail).toBe('shared with 999999999999, 888888888888');
    });

    it('follows DescribeDocumentPermission\'s NextToken, 200 a page', async () => {
      ssm.on(DescribeDocumentCommand, { Name: NAME }).resolves({ Document: document() });
      ssm.on(DescribeDocumentPermissionCommand, { NextToken: undefined }).resolves({ AccountIds: [OTHER_ACCOUNT], NextToken: 'next-page' });
      ssm.on(DescribeDocumentPermissionCommand, { NextToken: 'next-page' }).resolves({ AccountIds: ['999999999999'] });
      expect((await failed()).map((f) => f.violation.detail)).toEqual(['shared with 999999999999']);
      expect(ssm.commandCalls(DescribeDocumentPermissionCommand)[0]?.args[0].input).toMatchObject({ MaxResults: 200 });
    });

    const deleted = () => awsError('InvalidDocument', 400, 'The specified document does not exist.');
    it.each([
      ['DescribeDocument', () => ssm.on(DescribeDocumentCommand).rejects(deleted())],
      ['DescribeDocumentPermission', () => ssm.on(DescribeDocumentPermissionCommand).rejects(deleted())],
    ])('a document deleted before %s answers is gone (InvalidDocument)', async (_name, deleteIt) => {
      givenDocument([]);
      deleteIt();
      expect(await ssmDocumentAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME))).toBe(GONE);
    });

    it('AccessDeniedException propagates (an error, not a finding)', async () => {
      ssm.on(DescribeDocumentCommand).rejects(awsError('AccessDeniedException'));
      await expect(ssmDocumentAuditor.audit(makeResourceContext(NAME), makeCheckContext(NAME))).rejects.toThrow('AccessDeniedException');
    });
  });

  describe('remediations', () => {
    async function remediation(checkId: string): Promise<() => Promise<string>> {
      const remediate = (await failed()).find((f) => f.check.id === checkId)?.remediate;
      if (!remediate) throw new Error(`${checkId} did not fail or has no remediation`);
      return remediate;
    }

    it('public removes "all" as it is written; a second run makes no call', async () => {
      const stored = givenDocument(['All']);
      const remediate = await remediation('ssm_document.public');
      expect(await remediate()).toBe('applied');
      expect(ssm.commandCalls(ModifyDocumentPermissionCommand).map((call) => call.args[0].input)).toEqual([{ Name: NAME, PermissionType: 'Share', AccountIdsToRemove: ['All'] }]);
      expect(stored.sharedWith).toEqual([]);
      expect(await remediate()).toBe('already_compliant');
      expect(ssm.commandCalls(ModifyDocumentPermissionCommand)).toHaveLength(1);
    });

    it('shared_unknown_account removes only the unknown accounts; a second run makes no call', async () => {
      const stored = givenDocument([OTHER_ACCOUNT, '999999999999']);
      const remediate = await remediation('ssm_document.shared_unknown_account');
      expect(await remediate()).toBe('applied');
      expect(stored.sharedWith).toEqual([OTHER_ACCOUNT]);
      expect(await remediate()).toBe('already_compliant');
      expect(ssm.commandCalls(ModifyDocumentPermissionCommand)).toHaveLength(1);
    });

    it('a document deleted since the audit is gone, with no call', async () => {
      givenDocument(['all']);
      const remediate = await remediation('ssm_document.public');
      ssm.on(DescribeDocumentCommand).rejects(awsError('InvalidDocument'));
      expect(await remediate()).toBe('gone');
      expect(ssm.commandCalls(ModifyDocumentPermissionCommand)).toHaveLength(0);
    });
  });
});
