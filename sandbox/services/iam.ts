import type { SandboxService } from '../serviceModel.ts';
import { accountOperations } from './iamAccount.ts';
import { policyOperations } from './iamPolicies.ts';
import { roleOperations } from './iamRoles.ts';
import { userOperations } from './iamUsers.ts';

/** IAM: global, one state slice per account whatever the client's region (see iamState.ts). */
export const iamService: SandboxService = {
  serviceId: 'IAM',
  operations: { ...userOperations, ...roleOperations, ...policyOperations, ...accountOperations },
};
