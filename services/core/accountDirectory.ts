import type { AwsClients } from './clientFactory.ts';
import type { Config } from './config.ts';
import { listOrganizationAccounts } from './organizationAccounts.ts';

/** How long the organization's account list is reused within a container. */
export const ORGANIZATION_CACHE_MS = 15 * 60 * 1000;

/**
 * Which accounts may be audited, and which are trusted for sharing checks:
 * the configured list, or the organization's ACTIVE accounts (ListAccounts,
 * cached per container), plus the configured trusted accounts. Membership is
 * an exact match on the 12-digit id.
 */
interface OrganizationView {
  /** ACTIVE accounts. */
  accounts: string[];
  organizationId?: string;
}

export class AccountDirectory {
  private organization?: { view: Promise<OrganizationView>; until: number };
  private readonly config: Config;
  private readonly clients: AwsClients;
  private readonly now: () => number;

  constructor(config: Config, securityAccountClients: AwsClients, now: () => number = Date.now) {
    this.config = config;
    this.clients = securityAccountClients;
    this.now = now;
  }

  /** The accounts to audit; undefined when none are configured (a local dry run). */
  async auditedAccounts(): Promise<string[] | undefined> {
    const { accounts } = this.config;
    if (accounts === undefined) return undefined;
    return accounts === 'organization' ? (await this.organizationView()).accounts : accounts;
  }

  /**
   * The organization's id (o-…), when the audited accounts are the
   * organization's (read from ListAccounts' ARNs); undefined for a
   * configured list: then no organization grant can be told ours.
   */
  async organizationId(): Promise<string | undefined> {
    return this.config.accounts === 'organization' ? (await this.organizationView()).organizationId : undefined;
  }

  async isAllowed(account: string): Promise<boolean> {
    const accounts = await this.auditedAccounts();
    return accounts === undefined || accounts.includes(account);
  }

  async trustedAccounts(): Promise<ReadonlySet<string>> {
    const audited = (await this.auditedAccounts()) ?? [];
    return new Set([...audited, ...this.config.trustedAccounts]);
  }

  private organizationView(): Promise<OrganizationView> {
    if (this.organization && this.organization.until > this.now()) return this.organization.view;
    const view = this.readOrganization();
    const entry = { view, until: this.now() + ORGANIZATION_CACHE_MS };
    this.organization = entry;
    view.catch(() => {
      if (this.organization === entry) this.organization = undefined;
    });
    return view;
  }

  private async readOrganization(): Promise<OrganizationView> {
    const all = await listOrganizationAccounts(this.clients);
    const organizationId = all.find((account) => account.organizationId)?.organizationId;
    return { accounts: all.filter((account) => account.status === 'ACTIVE').map((account) => account.id), ...(organizationId ? { organizationId } : {}) };
  }
}
