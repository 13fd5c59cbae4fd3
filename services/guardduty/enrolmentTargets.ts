/**
 * Whose clients each step uses: the management account through its own role
 * (guardDutyManagementRoleName), the administrator account (the function's
 * own credentials when it is the security account, else the remediation
 * role there: enrolment writes, which the read-only audit role may not),
 * and the security account itself. APIs: sts:GetCallerIdentity.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ClientFactory, type AwsClients } from '../core/clientFactory.ts';
import type { Config } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';

export interface EnrolmentTargets {
  managementAccount: string;
  administratorAccount: string;
  management(region: string): AwsClients;
  administrator(region: string): AwsClients;
  /** The security account's own clients in the home region (DescribeRegions, the alarms topic). */
  security: AwsClients;
}

/** A factory whose "member role" is the management account's enrolment role. */
export function managementFactory(config: Config, env: NodeJS.ProcessEnv): ClientFactory {
  return new ClientFactory({ ...config, memberRoleName: config.guardDutyManagementRoleName, env });
}

export async function enrolmentTargets(config: Config, factory: ClientFactory, management: ClientFactory): Promise<EnrolmentTargets> {
  const managementAccount = config.guardDutyManagementAccount;
  if (!managementAccount) {
    throw new ConfigError(['guardDutyManagementAccount (GUARDDUTY_MANAGEMENT_ACCOUNT): required for GuardDuty enrolment; the 12-digit id of the organization management account']);
  }
  const security = factory.forSecurityAccount(config.homeRegion);
  const { Account: self } = await security.get(STSClient).send(new GetCallerIdentityCommand({}));
  const administratorAccount = config.guardDutyAdministratorAccount ?? self;
  if (!administratorAccount) throw new ConfigError(['guardDutyAdministratorAccount (GUARDDUTY_ADMINISTRATOR_ACCOUNT): not set, and GetCallerIdentity returned no account']);
  return {
    managementAccount,
    administratorAccount,
    management: (region) => management.forAccount(managementAccount, region),
    administrator: (region) => (administratorAccount === self ? factory.forSecurityAccount(region) : factory.forAccount(administratorAccount, region, 'remediation')),
    security,
  };
}
