/**
 * The pure cores of `mmx agent setup`: the TOML, JSON(C) and dotenv merges and their
 * invariants, agent names, where each agent's files are, the same-file check, and the masked diff.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { type AgentSettings, defaultModel, parseAgents } from '../../src/agents/catalog.js';
import { claudeModelName } from '../../src/agents/claude-code.js';
import { unifiedDiff } from '../../src/agents/diff.js';
import { AgentFileError, editJson, mergeToml, setEnvLine } from '../../src/agents/formats.js';
import { grokSlug } from '../../src/agents/grok.js';
import { agentPaths, planAgents } from '../../src/agents/index.js';

const KEY = 'sk-cp-unit-test-key-0000000000000000abcd';
const SETTINGS: AgentSettings = { apiKey: KEY, baseUrl: 'https://api.minimax.cn', region: 'cn', model: 'MiniMax-M3', m31Window: 524_288 };
const merge = {
  top: { model: 'MiniMax-M3', gone: undefined },
  sections: [{ name: 'providers.minimax', entries: { base_url: 'https://x/v1', n: 5 } }],
};

describe('mergeToml', () => {
  it('sets top-level keys before the first table and table keys in their table, keeping comments, order and other tables', () => {
    const before =
      '# top comment\nmodel = "old" # why\ngone = 1 # note\nother = true\n\n[providers.minimax]\nname = "M" # keep\n\n[z]\na = 1\n';
    const after = mergeToml(before, 'T', '/t.toml', merge);
    expect(after).toBe(
      '# top comment\nmodel = "MiniMax-M3" # why\n# note\nother = true\n\n[providers.minimax]\nname = "M" # keep\nbase_url = "https://x/v1"\nn = 5\n\n[z]\na = 1\n',
    );
  });

  it('starts a missing file, and a table that is not there is appended; the result is idempotent', () => {
    const first = mergeToml(null, 'T', '/t.toml', merge);
    expect(first).toBe('model = "MiniMax-M3"\n\n[providers.minimax]\nbase_url = "https://x/v1"\nn = 5\n');
    expect(mergeToml(first, 'T', '/t.toml', merge)).toBe(first);
    const withTable = mergeToml('[a]\nb = 1\n', 'T', '/t.toml', merge);
    expect(parseToml(withTable)).toEqual({ model: 'MiniMax-M3', a: { b: 1 }, providers: { minimax: { base_url: 'https://x/v1', n: 5 } } });
  });

  it('keeps CRLF line ends, and a header written with blanks (`[ providers . minimax ]`) is the same table', () => {
    const after = mergeToml('x = 1\r\n[ providers . minimax ]\r\nn = 1\r\n', 'T', '/t.toml', merge);
    expect(after).toBe('x = 1\r\nmodel = "MiniMax-M3"\r\n[ providers . minimax ]\r\nn = 5\r\nbase_url = "https://x/v1"\r\n');
  });

  it('refuses what it cannot edit line by line: an inline table, the keys as dotted keys elsewhere, multi-line strings, invalid TOML', () => {
    const refused = (text: string) => {
      expect(() => mergeToml(text, 'T', '/t.toml', merge), text).toThrow(AgentFileError);
    };
    refused('providers = { minimax = { n = 1 } }\n');
    refused('providers.minimax.n = 1\n');
    refused('[providers]\nminimax = { n = 1 }\n');
    refused('doc = """\nmodel = "x"\n"""\n');
    refused('model = "x"\n[broken\n');
    refused('model = [\n  "a",\n]\n');
  });

  it('property: for any table of other keys, the merge parses, sets exactly its keys and leaves every other value as it was', () => {
    const bare = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).filter((k) => !['model', 'gone', 'providers', 'base_url', 'n'].includes(k));
    const value = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.boolean(),
      fc.string({ maxLength: 8 }).filter((s) => !/[\u0000-\u001f\u007f"\\]/.test(s)),
    );
    fc.assert(
      fc.property(fc.dictionary(bare, value, { maxKeys: 5 }), fc.dictionary(bare, value, { maxKeys: 5 }), (top, table) => {
        const lines = Object.entries(top).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
        const tableLines = Object.entries(table).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
        const before = `${lines.join('\n')}\n[other]\n${tableLines.join('\n')}\n`;
        const after = parseToml(mergeToml(before, 'T', '/t.toml', merge)) as Record<string, unknown>;
        expect(after).toEqual({ ...top, model: 'MiniMax-M3', other: table, providers: { minimax: { base_url: 'https://x/v1', n: 5 } } });
      }),
    );
  });
});

describe('editJson', () => {
  it('sets and removes values in JSONC, keeping comments and trailing commas, and ends with a newline', () => {
    const before = '{\n  // mine\n  "a": 1,\n  "env": { "X": "y", "DROP": "z", },\n}';
    const after = editJson(before, 'J', '/j.json', [
      { path: ['env', 'NEW'], value: 'v' },
      { path: ['env', 'DROP'], value: undefined },
    ]);
    expect(after).toContain('// mine');
    expect(after.endsWith('\n')).toBe(true);
    expect(parseJsonc(after)).toEqual({ a: 1, env: { X: 'y', NEW: 'v' } });
  });

  it('refuses a text that is not JSON, or whose root is not an object, naming the file and line', () => {
    expect(() => editJson('{\n  "a": 1\n  "b": 2\n}', 'J', '/j.json', [])).toThrow(
      'J (/j.json) is not valid JSON: CommaExpected on line 3.',
    );
    expect(() => editJson('[]', 'J', '/j.json', [])).toThrow('J (/j.json) must hold a JSON object.');
  });
});

describe('setEnvLine', () => {
  it('replaces the first NAME= line (export or not), drops repeats, keeps the rest; appends when missing', () => {
    expect(setEnvLine('A=1\nexport K=old\nB=2\nK=again\n', 'K', 'new')).toBe('A=1\nK=new\nB=2\n');
    expect(setEnvLine('A=1', 'K', 'v')).toBe('A=1\nK=v\n');
    expect(setEnvLine(null, 'K', 'has space')).toBe('K="has space"\n');
  });
});

describe('names', () => {
  it("agents by mmx-cli 1.0.27's spellings, each once, in the order given; the first unknown is reported", () => {
    expect(parseAgents(['Claude', 'grok-cli', 'claude-code', ' PI '])).toEqual({ agents: ['claude-code', 'grok', 'pi'] });
    expect(parseAgents(['codex', 'cursor', 'aider'])).toEqual({ agents: ['codex'], unknown: 'cursor' });
  });

  it('model names as the agents need them; the default model by key type', () => {
    expect(claudeModelName('MiniMax-M3.1-Flash-Preview')).toBe('MiniMax-M3.1-Flash-Preview[1m]');
    expect(claudeModelName('MiniMax-M2.7')).toBe('MiniMax-M2.7');
    expect(grokSlug('MiniMax-M3')).toBe('minimax');
    expect(grokSlug('MiniMax-M2.7-highspeed')).toBe('minimax-m2-7-highspeed');
    expect(defaultModel('sk-api-x')).toBe('MiniMax-M3');
    expect(defaultModel('sk-cp-x')).toBe('MiniMax-M3.1-Flash-Preview');
  });
});

describe('agentPaths', () => {
  const home = '/home/u';
  it('defaults under home; OpenCode prefers an existing opencode.jsonc; OPENCODE_CONFIG names the file', () => {
    const none = () => false;
    expect(agentPaths('claude-code', {}, home, none)).toEqual(['/home/u/.claude/settings.json']);
    expect(agentPaths('pi', {}, home, none)).toEqual(['/home/u/.pi/agent/models.json', '/home/u/.pi/agent/settings.json']);
    expect(agentPaths('opencode', {}, home, none)).toEqual(['/home/u/.config/opencode/opencode.json']);
    expect(agentPaths('opencode', {}, home, (p) => p.endsWith('.jsonc'))).toEqual(['/home/u/.config/opencode/opencode.jsonc']);
    expect(agentPaths('opencode', { OPENCODE_CONFIG: '/etc/oc.json' }, home, none)).toEqual(['/etc/oc.json']);
    expect(agentPaths('hermes', { HERMES_HOME: 'h' }, home, none)).toEqual([join(home, 'h', 'config.yaml'), join(home, 'h', '.env')]);
  });
});

describe('planAgents', () => {
  it('two agents whose files are one file are refused (Claude Code and Pi both keep a settings.json)', () => {
    const dir = '/shared';
    const files = new Map([
      ['claude-code', [{ path: `${dir}/settings.json`, before: null }]],
      [
        'pi',
        [
          { path: `${dir}/models.json`, before: null },
          { path: `${dir}/settings.json`, before: null },
        ],
      ],
    ] as const);
    expect(() => planAgents(['claude-code', 'pi'], files, SETTINGS)).toThrow(
      '/shared/settings.json and /shared/settings.json are the same file',
    );
  });
});

describe('unifiedDiff', () => {
  it('is a unified diff (no Index line), /dev/null for a new file, the key masked', () => {
    const diff = unifiedDiff({ agent: 'hermes', path: '/h/.env', before: null, after: `K=${KEY}\n` }, KEY);
    expect(diff).toBe('--- /dev/null\n+++ /h/.env\n@@ -0,0 +1,1 @@\n+K=sk-…abcd\n');
    const changed = unifiedDiff({ agent: 'hermes', path: '/h/.env', before: 'A=1\n', after: 'A=1\nB=2\n' }, KEY);
    expect(changed).toBe('--- /h/.env\n+++ /h/.env\n@@ -1,1 +1,2 @@\n A=1\n+B=2\n');
  });
});
