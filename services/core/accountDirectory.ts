import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from './clientFactory.ts';
import type { Config } from './config.ts';
import { ExpiringPromise } from './expiringPromise.ts';
import { listOrganizationAccounts } from './organizationAccounts.ts';

/** How long the organization's account list is reused within a container. */
export const ORGANIZATION_CACHE_MS = 15 * 60 * 1000;

interface OrganizationView {
  /** ACTIVE accounts. */
  accounts: string[];
  organizationId?: string;
}

/**
 * Which accounts may be audited, and which are trusted for sharing and trust
 * checks: the security account itself (GetCallerIdentity, cached per
 * container), every ACTIVE account of the organization whenever it can be
 * listed (ListAccounts, cached per container; even when `accounts` is an
 * explicit list), the audited accounts, plus the configured trusted
 * accounts. Membership is an exact match on the 12-digit id.
 */
export class AccountDirectory {
  private readonly organization: ExpiringPromise<OrganizationView>;
  private securityAccount?: Promise<string | undefined>;
  private readonly config: Config;
  private readonly clients: AwsClients;

  constructor(config: Config, securityAccountClients: AwsClients, now: () => number = Date.now) {
    this.config = config;
    this.clients = securityAccountClients;
    this.organization = new ExpiringPromise(ORGANIZATION_CACHE_MS, now);
  }

  /** The accounts to audit; undefined when none are configured (a local dry run). */
  async auditedAccounts(): Promise<string[] | undefined> {
    const { accounts } = this.config;
    if (accounts === undefined) return undefined;
    return accounts === 'organization' ? (await this.organizationView()).accounts : accounts;
  }

  /**
   * The organization's id (o-…), read from ListAccounts' ARNs; undefined when
   * the organization cannot be listed (then no organization grant can be
   * told ours). With `accounts` an explicit list a listing failure is not an
   * error, as for the trusted accounts.
   */
  async organizationId(): Promise<string | undefined> {
    if (this.config.accounts === 'organization') return (await this.organizationView()).organizationId;
    return (await this.organizationView().catch(() => undefined))?.organizationId;
  }

  async isAllowed(account: string): Promise<boolean> {
    const accounts = await this.auditedAccounts();
    return accounts === undefined || accounts.includes(account);
  }

  async trustedAccounts(): Promise<ReadonlySet<string>> {
    const audited = (await this.auditedAccounts()) ?? [];
    const organization = this.config.accounts === 'organization' ? [] : ((await this.organizationView().catch(() => undefined))?.accounts ?? []);
    const self = await this.ownAccount();
    return new Set([...(self ? [self] : []), ...organization, ...audited, ...this.config.trustedAccounts]);
  }

  /**
   * The security account (the caller's own). Without remediation an unknown
   * one only widens findings; with remediation on, not knowing it stops the
   * run rather than risk rewriting the trust the service depends on.
   */
  private async ownAccount(): Promise<string | undefined> {
    this.securityAccount ??= this.clients
      .get(STSClient)
      .send(new GetCallerIdentityCommand({}))
      .then((identity) => identity.Account);
    try {
      const account = await this.securityAccount;
      if (!account && this.config.remediate) throw new Error('GetCallerIdentity returned no account');
      return account;
    } catch (error) {
      this.securityAccount = undefined;
      if (this.config.remediate) throw new Error(`cannot tell the security account (sts:GetCallerIdentity), so remediation is refused: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private organizationView(): Promise<OrganizationView> {
    return this.organization.get('organization', () => this.readOrganization());
  }

  private async readOrganization(): Promise<OrganizationView> {
    const all = await listOrganizationAccounts(this.clients);
    const organizationId = all.find((account) => account.organizationId)?.organizationId;
    return { accounts: all.filter((account) => account.status === 'ACTIVE').map((account) => account.id), ...(organizationId ? { organizationId } : {}) };
  }
}
