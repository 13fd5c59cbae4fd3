import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config.ts';

const PLACEHOLDER = 'change-me-to-a-secret-external-id';

describe('the ExternalId placeholder is refused', () => {
  it.each([
    { env: { ACCOUNTS: '111111111111', EXTERNAL_ID: PLACEHOLDER }, deployed: true, refused: /still the placeholder/ },
    { env: { EXTERNAL_ID: PLACEHOLDER }, deployed: false, refused: /still the placeholder/ },
    { env: { ACCOUNTS: '111111111111' }, deployed: true, refused: /required when assumeRole is on/ },
  ])('refuses $env (deployed $deployed) and says how to set it', ({ env, deployed, refused }) => {
    const start = (): unknown => loadConfig({ env, requireAccounts: deployed, deployed });
    expect(start).toThrow(refused);
    expect(start).toThrow(/serverless deploy --param="externalId=<secret>"/);
    expect(start).not.toThrow(PLACEHOLDER);
  });

  it.each([
    { env: { ACCOUNTS: '111111111111', EXTERNAL_ID: 'b7c1e0f2-9f4e-4a55-8e0a-3c2d6f1a9b11' }, deployed: true },
    { env: { ACCOUNTS: '111111111111', ASSUME_ROLE: 'false' }, deployed: true },
    { env: {}, deployed: false },
    { env: { ACCOUNTS: '111111111111' }, deployed: false },
  ])('accepts $env (deployed $deployed)', ({ env, deployed }) => {
    expect(() => loadConfig({ env, requireAccounts: deployed, deployed })).not.toThrow();
  });
});
