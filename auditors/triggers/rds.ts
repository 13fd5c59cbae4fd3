/** CloudTrail calls that trigger an audit of rds (SDK-free: the event translator imports these, not the auditor). */
import type { CloudTrailTrigger } from '../contract.ts';

/** How long after a rename the new name is audited. */
export const RENAME_DELAY_SECONDS = 300;

/**
 * RDS stores instance and cluster identifiers in lower case ("This parameter
 * is stored as a lowercase string"), while CloudTrail records them as the
 * caller typed them: the id the poller lists is the lower-case one.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
 */
export function storedIdentifier(identifier: string): string {
  return identifier.toLowerCase();
}

export const rdsTriggers: readonly CloudTrailTrigger[] = [
  {
    eventSource: 'rds.amazonaws.com',
    eventNames: ['CreateDBInstance', 'CreateDBInstanceReadReplica', 'RestoreDBInstanceFromDBSnapshot'],
    idPath: 'requestParameters.dBInstanceIdentifier',
    transformId: storedIdentifier,
    delaySeconds: 600,
  },
  { eventSource: 'rds.amazonaws.com', eventNames: ['ModifyDBInstance'], idPath: 'requestParameters.dBInstanceIdentifier', transformId: storedIdentifier },
  // A rename audits the new name too, once the rename (a reboot) has had time: until then the old name answers.
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html (NewDBInstanceIdentifier)
  {
    eventSource: 'rds.amazonaws.com',
    eventNames: ['ModifyDBInstance'],
    idPath: 'requestParameters.newDBInstanceIdentifier',
    transformId: storedIdentifier,
    delaySeconds: RENAME_DELAY_SECONDS,
  },
  {
    eventSource: 'rds.amazonaws.com',
    eventNames: ['CreateDBCluster', 'RestoreDBClusterFromSnapshot'],
    idPath: 'requestParameters.dBClusterIdentifier',
    transformId: storedIdentifier,
    delaySeconds: 600,
  },
  { eventSource: 'rds.amazonaws.com', eventNames: ['ModifyDBCluster'], idPath: 'requestParameters.dBClusterIdentifier', transformId: storedIdentifier },
  {
    eventSource: 'rds.amazonaws.com',
    eventNames: ['ModifyDBCluster'],
    idPath: 'requestParameters.newDBClusterIdentifier',
    transformId: storedIdentifier,
    delaySeconds: RENAME_DELAY_SECONDS,
  },
];
