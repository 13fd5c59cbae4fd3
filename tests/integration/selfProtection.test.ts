/**
 * Issue 12, done when: on moto, with `accounts` an explicit list that omits
 * the security account (moto's caller account), `--remediate` leaves the
 * member stack's roles byte-for-byte unchanged and reports a finding on the
 * member role as protected (tests/helpers/selfProtectionScenario.ts; the
 * sandbox runs the same in tests/remediator/selfProtectionSandbox.test.ts).
 * Each member account is reached by AssumeRole with the ExternalId, as
 * deployed. Accounts 270000000001-2 are this file's own.
 *
 * The security account is trusted here through GetCallerIdentity alone:
 * moto's caller is in no organization, and moto's ListAccounts then answers
 * an empty list (moto/organizations/models.py:661, no organization check)
 * where AWS answers AWSOrganizationsNotInUseException; neither names it.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, vi } from 'vitest';
import { loadConfig } from '../../services/core/config.ts';
import { describeSelfProtection, selfProtectionFlags } from '../helpers/selfProtectionScenario.ts';
import { motoGap } from './gaps.ts';
import { motoEnvironment } from './moto.ts';
import { CountingFactory, EXTERNAL_ID, motoFactoryEnv } from './motoPipeline.ts';

const MEMBERS = ['270000000001', '270000000002'] as const;
const REGION = 'us-east-1';

beforeAll(() => {
  // The factory's STS client (AssumeRole) reads the caller's credentials and endpoint from the environment.
  for (const [name, value] of Object.entries(motoEnvironment())) vi.stubEnv(name, value);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

/** Where moto differs from AWS, what this file relies on instead (printed in the test summary). */
const GAPS_MET = [motoGap('moto-organizations-list-accounts-outside-organization')];

describeSelfProtection(`self-protection on moto (integration; gaps met: ${GAPS_MET.map((g) => g.id).join(', ')})`, async () => {
  const config = loadConfig({ env: {}, flags: { ...selfProtectionFlags(MEMBERS, REGION), assumeRole: true, externalId: EXTERNAL_ID } });
  const factory = new CountingFactory({ ...config, env: motoFactoryEnv() });
  const { Account: securityAccount } = await factory.forSecurityAccount(REGION).get(STSClient).send(new GetCallerIdentityCommand({}));
  if (!securityAccount) throw new Error('moto: GetCallerIdentity named no account');
  return { config, factory, securityAccount, members: MEMBERS };
});
