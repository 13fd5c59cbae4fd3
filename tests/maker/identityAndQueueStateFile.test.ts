import { describe, expect, it } from 'vitest';
import { iamRoleAuditor } from '../../auditors/iamRole.ts';
import { iamUserAuditor } from '../../auditors/iamUser.ts';
import { lambdaFunctionAuditor } from '../../auditors/lambdaFunction.ts';
import { sqsAuditor } from '../../auditors/sqsQueue.ts';
import { iamRoleMaker } from '../../misconfiguration-maker/entries/iamRole.ts';
import { iamUserMaker } from '../../misconfiguration-maker/entries/iamUser.ts';
import { lambdaFunctionMaker } from '../../misconfiguration-maker/entries/lambdaFunction.ts';
import { sqsQueueMaker } from '../../misconfiguration-maker/entries/sqsQueue.ts';
import { ClientFactory } from '../../services/core/clientFactory.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import type { SandboxState } from '../../sandbox/sandboxState.ts';
import { makeConfig } from '../helpers/context.ts';
import { CREATED_AT, sandboxOrganization } from '../helpers/sandboxOrganization.ts';
import { auditListed, failedCheckIds, makerContext } from './makerHarness.ts';

const ENTRIES = [
  { maker: iamUserMaker, auditor: iamUserAuditor },
  { maker: iamRoleMaker, auditor: iamRoleAuditor },
  { maker: lambdaFunctionMaker, auditor: lambdaFunctionAuditor },
  { maker: sqsQueueMaker, auditor: sqsAuditor },
];

describe('iam_user, iam_role, lambda_function and sqs maker resources in a sandbox state file', () => {
  it('survive a JSON save and load (what --sandbox FILE does between processes) with the same findings', async () => {
    // Prepare
    const config = makeConfig({ mfaGraceHours: 0 });
    const organization = sandboxOrganization();
    for (const { maker } of ENTRIES) await maker.create(makerContext(organization, config));

    // Act
    const reloaded = new Sandbox(JSON.parse(JSON.stringify(organization.sandbox.state)) as SandboxState, { now: () => CREATED_AT });
    const factory = new ClientFactory({ memberRoleName: 'R', assumeRole: true, interceptor: reloaded, env: {} });

    // Assess
    for (const { maker, auditor } of ENTRIES) {
      const audited = await auditListed(auditor, makerContext({ factory }, config));
      expect(failedCheckIds(audited), auditor.type).toEqual([...maker.provokes(config)].sort());
    }
  });
});
