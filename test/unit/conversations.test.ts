/** The conversation store's pure parts: folding records back into messages, the history sent on -c, the size limit, ids. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConversationStore, foldRecords, historyForApi, newConversationId } from '../../src/conversations/store.js';

const line = (r: Record<string, unknown>) => JSON.stringify(r);
const META = line({ t: 'meta', v: 1, id: '20261130-000000-0001', created_at: '2026-11-30T00:00:00.000Z', model: 'M' });

describe('foldRecords', () => {
  it('joins deltas per block, puts signatures and tool input back, and takes the latest system and model', () => {
    const conv = foldRecords([
      META,
      line({ t: 'system', text: 'S2' }),
      line({ t: 'user', content: 'q' }),
      line({ t: 'assistant', model: 'M2' }),
      line({ t: 'block', i: 0, block: { type: 'thinking', thinking: '' } }),
      line({ t: 'delta', i: 0, text: 'th' }),
      line({ t: 'delta', i: 0, text: 'ink' }),
      line({ t: 'sig', i: 0, signature: 'sig0' }),
      line({ t: 'block', i: 1, block: { type: 'text', text: '' } }),
      line({ t: 'delta', i: 1, text: 'a' }),
      line({ t: 'delta', i: 1, text: 'b' }),
      line({ t: 'block', i: 2, block: { type: 'tool_use', id: 't', name: 'glob' } }),
      line({ t: 'input', i: 2, input: { p: 1 } }),
      line({ t: 'end', stop_reason: 'tool_use' }),
    ]);
    expect(conv).toEqual({
      id: '20261130-000000-0001',
      created_at: '2026-11-30T00:00:00.000Z',
      model: 'M2',
      system: 'S2',
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'think', signature: 'sig0' },
            { type: 'text', text: 'ab' },
            { type: 'tool_use', id: 't', name: 'glob', input: { p: 1 } },
          ],
        },
      ],
    });
  });

  it('an answer with no end record (a crash) is kept, marked incomplete; a half-written last line and unknown records are skipped', () => {
    const conv = foldRecords([
      META,
      line({ t: 'user', content: 'q' }),
      line({ t: 'assistant', model: 'M' }),
      line({ t: 'future-kind', x: 1 }),
      line({ t: 'block', i: 0, block: { type: 'text', text: '' } }),
      line({ t: 'delta', i: 0, text: 'part' }),
      '{"t":"delta","i":0,"te',
    ]);
    expect(conv.messages.at(-1)).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'part' }] });
    expect(conv.incomplete).toBe('no end record (mmx stopped mid-answer)');
  });

  it('a later complete answer clears the incomplete mark', () => {
    const conv = foldRecords([
      META,
      line({ t: 'user', content: 'q' }),
      line({ t: 'assistant', model: 'M' }),
      line({ t: 'end', incomplete: 'cut' }),
      line({ t: 'user', content: 'q2' }),
      line({ t: 'assistant', model: 'M' }),
      line({ t: 'end' }),
    ]);
    expect(conv.incomplete).toBeUndefined();
  });

  it('an empty file or one without its meta record is an error', () => {
    expect(() => foldRecords([''])).toThrow('the file is empty');
    expect(() => foldRecords([line({ t: 'user', content: 'q' })])).toThrow('does not start with its meta record');
  });
});

describe('historyForApi', () => {
  it('drops an empty answer together with the user turn that asked for it (the API refuses an empty assistant message)', () => {
    const history = historyForApi({
      id: 'x',
      created_at: '',
      model: 'M',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: [{ type: 'text', text: 'A' }] },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: [] },
      ],
    });
    expect(history).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: [{ type: 'text', text: 'A' }] },
    ]);
  });
});

describe('Recorder', () => {
  it('touches nothing before the first flush, writes meta first, and stops at the size limit (flush says so)', () => {
    const store = new ConversationStore(mkdtempSync(join(tmpdir(), 'mmx-conv-')), { now: () => 0, maxBytes: 400 });
    const rec = store.open({ model: 'M', system: 'S' });
    expect(store.ids()).toEqual([]);
    rec.user('x'.repeat(10));
    rec.discard();
    expect(rec.flush()).toBe(true);
    expect(store.ids()).toEqual([]);
    rec.user('hello');
    expect(rec.flush()).toBe(true);
    expect(store.ids()).toEqual([rec.id]);
    rec.user('y'.repeat(400));
    expect(rec.flush()).toBe(false);
    expect(rec.recording).toBe(false);
    rec.user('more');
    rec.close();
    const lines = readFileSync(join(store.dir, `${rec.id}.jsonl`), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l).t)).toEqual(['meta', 'user']);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ model: 'M', system: 'S' });
  });
});

describe('newConversationId', () => {
  it('UTC date and time, then four hex digits; sorts by time', () => {
    expect(newConversationId(Date.parse('2026-11-30T04:15:03Z'), () => 0.5)).toBe('20261130-041503-8000');
    expect(newConversationId(0, () => 0) < newConversationId(1000, () => 0.99)).toBe(true);
  });
});
