/**
 * CreateServiceLinkedRole, for the services the posture enablements switch
 * on (AWS Config's recorder uses AWSServiceRoleForConfig). The role lands
 * in the account's IAM roles at /aws-service-role/<service>/, trusted by
 * the service, as IAM creates it.
 */
import type { CreateServiceLinkedRoleCommandInput, CreateServiceLinkedRoleCommandOutput } from '@aws-sdk/client-iam';
import { operation, type OperationHandler, type Output } from '../serviceModel.ts';
import { roleOutput } from './iamRoles.ts';
import { iamError, iamId, iamState, type RoleRecord } from './iamState.ts';

/** Service principal -> the name IAM gives its service-linked role. */
export const SERVICE_LINKED_ROLE_NAMES: Readonly<Record<string, string>> = {
  'config.amazonaws.com': 'AWSServiceRoleForConfig',
  'guardduty.amazonaws.com': 'AWSServiceRoleForAmazonGuardDuty',
  'securityhub.amazonaws.com': 'AWSServiceRoleForSecurityHub',
  'macie.amazonaws.com': 'AWSServiceRoleForAmazonMacie',
  'inspector2.amazonaws.com': 'AWSServiceRoleForAmazonInspector2',
  'auditmanager.amazonaws.com': 'AWSServiceRoleForAuditManager',
};

export const serviceLinkedRoleOperations: Readonly<Record<string, OperationHandler>> = {
  CreateServiceLinkedRole: operation((context, input: CreateServiceLinkedRoleCommandInput): Output<CreateServiceLinkedRoleCommandOutput> => {
    const service = input.AWSServiceName;
    if (!service) throw iamError('ValidationError', 400, 'The request must contain the parameter AWSServiceName');
    const base = SERVICE_LINKED_ROLE_NAMES[service];
    if (!base) throw iamError('InvalidInput', 400, `The sandbox knows no service-linked role for ${service}`);
    const name = input.CustomSuffix ? `${base}_${input.CustomSuffix}` : base;
    const roles = iamState(context).roles;
    if (roles[name]) throw iamError('InvalidInput', 400, `Service role name ${name} has been taken in this account, please try a different suffix.`);
    const role: RoleRecord = {
      roleId: iamId(context, 'AROA'),
      path: `/aws-service-role/${service}/`,
      createdAt: context.now().toISOString(),
      trustPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }),
      ...(input.Description ? { description: input.Description } : {}),
      maxSessionDuration: 3600,
      tags: [],
    };
    roles[name] = role;
    return { Role: roleOutput(context, name, role, false) };
  }),
};
