/**
 * The pure parts behind the video commands: mmx-cli 1.0.27's model choice and
 * flag rules, the v1 and v2 bodies (the ratio rule), the body limit, the
 * answers' parsers, how a finished-badly task becomes an exit code, and words
 * for a shell in the resume hint.
 */
import { describe, expect, it } from 'vitest';
import { ResponseShapeError } from '../../src/api/request.js';
import { parseCreated, parseFile, parseV1Task, parseV2Task } from '../../src/api/resources/video.js';
import { shellWord, v1Failure, v2Failure } from '../../src/commands/video/wait.js';
import { UsageError } from '../../src/errors.js';
import { type VideoFlags, checkV2BodySize, checkVideoFlags, chooseVideoModel, v1Body, v2Body } from '../../src/media/video-request.js';

const flags = (over: Partial<VideoFlags> = {}): VideoFlags => ({
  prompt: 'p',
  explicitModel: undefined,
  image: undefined,
  lastFrame: undefined,
  subjectImage: undefined,
  referenceImages: [],
  referenceVideos: [],
  referenceAudios: [],
  duration: undefined,
  ratio: undefined,
  callbackUrl: undefined,
  ...over,
});
const noMedia = { referenceImages: [], referenceVideos: [], referenceAudios: [] };

describe('chooseVideoModel', () => {
  it.each([
    [{ explicit: 'T2V-01', configured: 'MiniMax-H3', lastFrame: true, subjectImage: false }, 'T2V-01'],
    [{ explicit: undefined, configured: 'MiniMax-H3', lastFrame: true, subjectImage: true }, 'MiniMax-H3'],
    [{ explicit: undefined, configured: 'MiniMax-Hailuo-2.3', lastFrame: true, subjectImage: false }, 'MiniMax-Hailuo-02'],
    [{ explicit: undefined, configured: 'MiniMax-Hailuo-2.3', lastFrame: false, subjectImage: true }, 'S2V-01'],
    [{ explicit: undefined, configured: 'MiniMax-Hailuo-2.3-Fast', lastFrame: false, subjectImage: false }, 'MiniMax-Hailuo-2.3-Fast'],
  ])('%j → %s', (input, model) => {
    expect(chooseVideoModel(input)).toBe(model);
  });
});

describe('checkVideoFlags', () => {
  it('allows what 1.0.27 allows', () => {
    expect(() => checkVideoFlags('MiniMax-Hailuo-02', flags({ image: 'a', lastFrame: 'b' }))).not.toThrow();
    expect(() => checkVideoFlags('MiniMax-H3', flags({ lastFrame: 'b' }))).not.toThrow();
    expect(() => checkVideoFlags('MiniMax-H3', flags({ referenceImages: Array(9).fill('i'), referenceAudios: ['a'] }))).not.toThrow();
    expect(() => checkVideoFlags('MiniMax-H3', flags({ referenceVideos: ['v'], ratio: 'adaptive', duration: 15 }))).not.toThrow();
  });
  it.each([
    ['MiniMax-Hailuo-2.3', { duration: 6 }, 'require --model MiniMax-H3'],
    ['MiniMax-Hailuo-2.3', { referenceAudios: ['a'] }, 'require --model MiniMax-H3'],
    ['MiniMax-Hailuo-2.3-Fast', { explicitModel: 'MiniMax-Hailuo-2.3-Fast' }, 'only supports I2V'],
    ['MiniMax-H3', { prompt: ' ' }, 'requires a non-empty text content item'],
    ['MiniMax-H3', { prompt: 'x'.repeat(7001) }, 'must not exceed 7000 characters'],
    ['MiniMax-H3', { duration: 3 }, 'an integer from 4 to 15'],
    ['MiniMax-H3', { referenceImages: Array(10).fill('i') }, 'up to 9 reference images'],
    ['MiniMax-H3', { referenceVideos: Array(4).fill('v') }, 'up to 9 reference images, 3 reference videos'],
    ['MiniMax-H3', { lastFrame: 'b', referenceVideos: ['v'] }, 'cannot be used together'],
  ])('%s with %j → %s', (model, over, message) => {
    expect(() => checkVideoFlags(model, flags(over))).toThrow(UsageError);
    expect(() => checkVideoFlags(model, flags(over))).toThrow(message);
  });
});

describe('the bodies', () => {
  it('v1: only the fields given', () => {
    expect(v1Body('MiniMax-Hailuo-2.3', 'p', noMedia, undefined)).toEqual({ model: 'MiniMax-Hailuo-2.3', prompt: 'p' });
    expect(v1Body('S2V-01', 'p', { ...noMedia, subjectImage: 's' }, 'https://cb')).toEqual({
      model: 'S2V-01',
      prompt: 'p',
      subject_reference: [{ type: 'character', image: ['s'] }],
      callback_url: 'https://cb',
    });
  });
  it('v2: text first, then frames and references in their roles; 2K, 5 s; the ratio rule', () => {
    expect(v2Body(flags(), noMedia)).toEqual({
      model: 'MiniMax-H3',
      content: [{ type: 'text', text: 'p' }],
      resolution: '2K',
      duration: 5,
      ratio: '16:9',
    });
    expect(v2Body(flags({ ratio: '1:1' }), { ...noMedia, image: 'f' }).ratio).toBe('adaptive');
    expect(v2Body(flags(), { ...noMedia, referenceVideos: ['v'] }).ratio).toBe('adaptive');
    expect(v2Body(flags({ ratio: '9:16' }), { ...noMedia, referenceVideos: ['v'] }).ratio).toBe('9:16');
    expect(v2Body(flags({ callbackUrl: 'https://cb', duration: 10 }), { ...noMedia, image: 'f', lastFrame: 'l' })).toEqual({
      model: 'MiniMax-H3',
      content: [
        { type: 'text', text: 'p' },
        { type: 'image_url', image_url: { url: 'f' }, role: 'first_frame' },
        { type: 'image_url', image_url: { url: 'l' }, role: 'last_frame' },
      ],
      resolution: '2K',
      duration: 10,
      ratio: 'adaptive',
      callback_url: 'https://cb',
    });
  });
  it('v2: a body over 64 MB is refused', () => {
    expect(() => checkV2BodySize({ content: 'x'.repeat(64 * 1024 * 1024) })).toThrow('the maximum is 64 MB');
    expect(() => checkV2BodySize({ content: 'x'.repeat(1024) })).not.toThrow();
  });
});

describe('the answers', () => {
  it('task ids as strings, numbers made strings; no task_id is a shape error', () => {
    expect(parseCreated({ task_id: '106916112212032' })).toBe('106916112212032');
    expect(parseCreated({ task_id: 106916112212032 })).toBe('106916112212032');
    expect(() => parseCreated({ base_resp: {} })).toThrow(ResponseShapeError);
  });
  it('v1 task: an empty file_id is no file id; no status is a shape error', () => {
    expect(parseV1Task({ task_id: '1', status: 'Processing', file_id: '' })).toEqual({ task_id: '1', status: 'Processing' });
    expect(() => parseV1Task({ task_id: '1' })).toThrow(ResponseShapeError);
  });
  it('v2 task and file', () => {
    expect(parseV2Task({ task: { id: 5, status: 'failed', error: { code: 1027, message: 'm' } } })).toMatchObject({
      id: '5',
      status: 'failed',
      error: { code: '1027', message: 'm' },
    });
    expect(() => parseV2Task({ status: 'succeeded' })).toThrow(ResponseShapeError);
    expect(parseFile({ file: { file_id: 205258526306433, download_url: 'https://x' } })).toMatchObject({
      file_id: '205258526306433',
      download_url: 'https://x',
    });
  });
});

describe('a task that ended badly', () => {
  it('v1: Fail (documented) and Failed (what mmx-cli waits for) are failures; other statuses are not', () => {
    expect(v1Failure({ task_id: '1', status: 'Fail' }, '1')?.exitCode).toBe(1);
    expect(v1Failure({ task_id: '1', status: 'Failed' }, '1')?.message).toBe('Video task 1 failed (status Failed).');
    expect(v1Failure({ task_id: '1', status: 'Preparing' }, '1')).toBeUndefined();
  });
  it('v2: failed, cancelled and expired; the exit code from the error code, or from a "(NNNN)" in its message', () => {
    expect(v2Failure({ id: '1', status: 'failed', error: { code: '1027', message: 'withheld' } }, '1')).toMatchObject({
      exitCode: 10,
      apiCode: 1027,
      message: 'Video task 1 failed (1027: withheld).',
    });
    expect(v2Failure({ id: '1', status: 'failed', error: { message: 'input sensitive (1026)' } }, '1')?.exitCode).toBe(10);
    expect(v2Failure({ id: '1', status: 'cancelled' }, '1')).toMatchObject({ exitCode: 1, message: 'Video task 1 cancelled.' });
    expect(v2Failure({ id: '1', status: 'expired' }, '1')?.hint).toContain('expired');
    expect(v2Failure({ id: '1', status: 'running' }, '1')).toBeUndefined();
  });
});

describe('shellWord', () => {
  it('plain ids and URLs as they are; anything else single-quoted', () => {
    expect(shellWord('106916112212032')).toBe('106916112212032');
    expect(shellWord('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
});
