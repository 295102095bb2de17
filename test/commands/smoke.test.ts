import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();

describe('seed: cn chat', () => {
  it('sends Bearer on cn and prints the answer', async () => {
    const r = await runCli(['text', 'chat', '--message', '你好', '--region', 'cn', '--output', 'json'], {
      env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json().type).toBe('message');
    expect(api.cn.requests[0]?.headers.authorization).toBe(`Bearer ${EMULATOR_KEYS.cn}`);
    expect(api.cn.requests[0]?.path).toBe('/anthropic/v1/messages');
  });
});
