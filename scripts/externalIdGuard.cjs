'use strict';
/**
 * A local serverless plugin: `serverless deploy` refuses the shipped
 * ExternalId placeholder, or none, before anything reaches CloudFormation.
 * CommonJS so that osls can require it; the rule mirrors
 * services/core/config.ts (EXTERNAL_ID_PLACEHOLDER_PREFIX), and a test holds
 * the two together.
 */
const PLACEHOLDER_PREFIX = 'change-me';
const HOW = 'set it with serverless deploy --param="externalId=<secret>" (the secret the member stacks were deployed with; at least 8 characters)';

/** The refusal for an ExternalId value, or undefined when it may be deployed. The value is never echoed in full. */
function externalIdRefusal(value) {
  if (typeof value !== 'string' || value.trim() === '') return `externalId is not set: ${HOW}`;
  if (value.toLowerCase().startsWith(PLACEHOLDER_PREFIX)) return `externalId is still the placeholder (${value.slice(0, 4)}...): ${HOW}`;
  if (value.length < 8) return `externalId is too short (${value.length} characters; the member stack requires at least 8): ${HOW}`;
  return undefined;
}

class ExternalIdGuard {
  constructor(serverless) {
    this.serverless = serverless;
    // initialize runs first for every command: refuse `deploy` and `deploy function` before packaging or any AWS call.
    this.hooks = {
      initialize: () => {
        const commands = (serverless.processedInput && serverless.processedInput.commands) || [];
        if (commands[0] === 'deploy' && commands[1] !== 'list') this.check();
      },
    };
  }

  check() {
    const environment = (this.serverless.service.provider && this.serverless.service.provider.environment) || {};
    const problem = externalIdRefusal(environment.EXTERNAL_ID);
    if (!problem) return;
    // serverless.classes.Error is reported as a user error: the message, no stack trace.
    const UserError = (this.serverless.classes && this.serverless.classes.Error) || Error;
    throw new UserError(`Deploy refused: ${problem}`);
  }
}

module.exports = ExternalIdGuard;
module.exports.externalIdRefusal = externalIdRefusal;
module.exports.PLACEHOLDER_PREFIX = PLACEHOLDER_PREFIX;
