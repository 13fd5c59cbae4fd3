/**
 * Issue 12, done when: in the sandbox, with `accounts` an explicit list that
 * omits the security account, `--remediate` leaves the member stack's roles
 * byte-for-byte unchanged and reports a finding on the member role as
 * protected (tests/helpers/selfProtectionScenario.ts). Twice: with the
 * organization listable, and with ListAccounts failing as it does outside an
 * organization, where the security account is trusted through
 * GetCallerIdentity alone; and once through the remediator CLI itself.
 */
import { loadConfig } from '../../services/core/config.ts';
import { Sandbox } from '../../sandbox/sandbox.ts';
import { serviceError } from '../../sandbox/sandboxErrors.ts';
import { createSandboxState } from '../../sandbox/sandboxState.ts';
import type { SandboxService } from '../../sandbox/serviceModel.ts';
import { SANDBOX_SERVICES } from '../../sandbox/services/index.ts';
import { CountingFactory } from '../integration/motoPipeline.ts';
import { REGION } from '../helpers/context.ts';
import { describeSelfProtection, selfProtectionFlags, type SelfProtectionWorld } from '../helpers/selfProtectionScenario.ts';

/** The sandbox's security account (its management account: the caller of the security account's own clients). */
const SECURITY_ACCOUNT = '260000000000';
const MEMBERS = ['260000000001', '260000000002'] as const;

/** Organizations outside an organization: https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html (Errors) */
const notInAnOrganization: SandboxService = {
  serviceId: 'Organizations',
  operations: {
    ListAccounts: () => {
      throw serviceError('AWSOrganizationsNotInUseException', 400, "Your account isn't a member of an organization.");
    },
  },
};

function sandboxWorld(services: readonly SandboxService[], remediator: SelfProtectionWorld['remediator'] = 'core'): SelfProtectionWorld {
  const sandbox = new Sandbox(createSandboxState({ accounts: [SECURITY_ACCOUNT, ...MEMBERS], regions: [REGION] }), {}, services);
  const config = loadConfig({ env: {}, flags: { ...selfProtectionFlags(MEMBERS, REGION), externalId: 'sandbox-external-id' } });
  return { config, factory: new CountingFactory({ ...config, env: {}, interceptor: sandbox }), securityAccount: SECURITY_ACCOUNT, members: MEMBERS, remediator };
}

describeSelfProtection('self-protection in the sandbox, the organization listable', async () => sandboxWorld(SANDBOX_SERVICES));

describeSelfProtection('self-protection in the sandbox, outside an organization (ListAccounts: AWSOrganizationsNotInUseException)', async () =>
  sandboxWorld(SANDBOX_SERVICES.map((service) => (service.serviceId === 'Organizations' ? notInAnOrganization : service))),
);

describeSelfProtection('self-protection in the sandbox, through `remediator --remediate`', async () => sandboxWorld(SANDBOX_SERVICES, 'cli'));
