import { describe, expect, it } from 'vitest';
import { isSecretName, redactSecrets, secretValuesFrom } from './secrets.ts';

describe('redactSecrets', () => {
  it('blanks values of secret-named keys at any depth', () => {
    const spec = {
      env: { HF_TOKEN: 'hf_abcdef', WANDB_API_KEY: 'k-123456', DB_PASSWORD: 'pw', CUDA_VISIBLE_DEVICES: '0,1' },
      nested: [{ client_secret: 'xyz1' }],
    };
    expect(redactSecrets(spec)).toEqual({
      env: { HF_TOKEN: '***', WANDB_API_KEY: '***', DB_PASSWORD: '***', CUDA_VISIBLE_DEVICES: '0,1' },
      nested: [{ client_secret: '***' }],
    });
    expect(spec.env.HF_TOKEN).toBe('hf_abcdef');
  });

  it('replaces every occurrence of a known secret value inside strings', () => {
    const secrets = secretValuesFrom({ HF_TOKEN: 'hf_planted_secret_42', PATH: '/usr/bin', SHORT_KEY: 'ab' });
    expect(secrets).toEqual(['hf_planted_secret_42']);
    const out = redactSecrets({ cmd: 'huggingface-cli login --token hf_planted_secret_42 && echo hf_planted_secret_42', n: 3 }, secrets);
    expect(out).toEqual({ cmd: 'huggingface-cli login --token *** && echo ***', n: 3 });
  });

  it('matches the documented name patterns only', () => {
    for (const name of ['HF_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'MY_PASSWORD_FILE', 'api_key', 'SECRET']) expect(isSecretName(name)).toBe(true);
    for (const name of ['TOKENIZER', 'max_tokens', 'KEYS', 'PATH', 'seq_len']) expect(isSecretName(name)).toBe(false);
  });
});
