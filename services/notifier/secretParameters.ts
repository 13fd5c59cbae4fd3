/**
 * Webhook URLs and routing keys from SSM SecureString parameters, read once
 * per container (the cache lives as long as this object; the Lambda keeps
 * one per container). A failed read is not cached. Values are never logged.
 * APIs: ssm:GetParameter (WithDecryption), kms:Decrypt.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../core/clientFactory.ts';
import { SecretParameterError } from './errors.ts';

export interface SecretSource {
  get(parameterName: string): Promise<string>;
}

export class SecretParameters implements SecretSource {
  private readonly cache = new Map<string, Promise<string>>();
  private readonly clients: AwsClients;

  constructor(clients: AwsClients) {
    this.clients = clients;
  }

  get(parameterName: string): Promise<string> {
    const cached = this.cache.get(parameterName);
    if (cached) return cached;
    const value = this.read(parameterName);
    this.cache.set(parameterName, value);
    value.catch(() => {
      if (this.cache.get(parameterName) === value) this.cache.delete(parameterName);
    });
    return value;
  }

  private async read(parameterName: string): Promise<string> {
    try {
      const { Parameter } = await this.clients.get(SSMClient).send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
      const value = Parameter?.Value?.trim();
      if (!value) throw new Error('the parameter has no value');
      return value;
    } catch (error) {
      throw new SecretParameterError(parameterName, error);
    }
  }
}
