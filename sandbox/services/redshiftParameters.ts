/**
 * Redshift's default cluster parameter groups, as DescribeClusterParameters
 * answers for them. `default.redshift-1.0` leaves require_ssl false;
 * `default.redshift-2.0`, the group new clusters get when they name none
 * (AWS's secure defaults since January 2025), sets it true. Every value of
 * a default group has Source `engine-default`; default groups cannot be
 * modified, so the sandbox keeps them as constants, not state.
 */
import type { Parameter } from '@aws-sdk/client-redshift';

export const LEGACY_DEFAULT_PARAMETER_GROUP = 'default.redshift-1.0';
export const DEFAULT_PARAMETER_GROUP = 'default.redshift-2.0';

function parameter(name: string, value: string, dataType: 'boolean' | 'integer' | 'string', description: string, allowedValues?: string): Parameter {
  return {
    ParameterName: name,
    ParameterValue: value,
    Description: description,
    Source: 'engine-default',
    DataType: dataType,
    ...(allowedValues ? { AllowedValues: allowedValues } : dataType === 'boolean' ? { AllowedValues: 'true,false' } : {}),
    ApplyType: name === 'wlm_json_configuration' || name === 'require_ssl' || name === 'use_fips_ssl' ? 'static' : 'dynamic',
    IsModifiable: true,
  };
}

function defaults(requireSsl: 'true' | 'false'): Parameter[] {
  return [
    parameter('auto_analyze', 'true', 'boolean', 'Use auto analyze'),
    parameter('auto_mv', 'true', 'boolean', 'Use auto materialized views'),
    parameter('datestyle', 'ISO, MDY', 'string', 'Sets the display format for date and time values.'),
    parameter('enable_case_sensitive_identifier', 'false', 'boolean', 'Preserve case sensitivity for database identifiers such as table or column names in parser'),
    parameter('enable_user_activity_logging', 'false', 'boolean', 'parameter for audit logging purpose'),
    parameter('extra_float_digits', '0', 'integer', 'Sets the number of digits displayed for floating-point values', '-15-2'),
    parameter('max_concurrency_scaling_clusters', '1', 'integer', 'The maximum concurrency scaling clusters can be used.', '0-10'),
    parameter('max_cursor_result_set_size', 'default', 'integer', 'Sets the max cursor result set size', '0-14400000'),
    parameter('query_group', 'default', 'string', 'This parameter applies a user-defined label to a group of queries that are run during the same session..'),
    parameter('require_ssl', requireSsl, 'boolean', 'require ssl for all databaseconnections'),
    parameter('search_path', '$user, public', 'string', 'Sets the schema search order for names that are not schema-qualified.'),
    parameter('statement_timeout', '0', 'integer', 'Aborts any statement that takes over the specified number of milliseconds.', '0,100-2147483647'),
    parameter('use_fips_ssl', 'false', 'boolean', 'Use fips ssl library'),
    parameter('wlm_json_configuration', '[{"auto_wlm":true}]', 'string', 'wlm json configuration'),
  ];
}

export const DEFAULT_PARAMETER_GROUPS: Readonly<Record<string, readonly Parameter[]>> = {
  [LEGACY_DEFAULT_PARAMETER_GROUP]: defaults('false'),
  [DEFAULT_PARAMETER_GROUP]: defaults('true'),
};
