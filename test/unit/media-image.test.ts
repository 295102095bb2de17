/**
 * The pure parts behind `image generate`: mmx-cli's flag checks, the body, the
 * subject reference, the answer's parser, file names and sizes, the text
 * rendering of results, and local media read into data URIs (types, limits).
 */
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImageResult } from '../../src/api/resources/image.js';
import { ResponseShapeError } from '../../src/api/request.js';
import { UsageError } from '../../src/errors.js';
import { checkImageFlags, imageBody, parseSubjectRef } from '../../src/media/image-request.js';
import { abbreviateDataUris, dataUriBytes, isLink, mediaTypeOf, mediaUrl } from '../../src/media/inputs.js';
import { defaultVideoPath, formatSize, imageFileNames } from '../../src/media/outputs.js';
import { fieldsText } from '../../src/output/fields.js';

const flags = (over: Partial<Parameters<typeof checkImageFlags>[0]> = {}) => ({
  n: 1,
  width: undefined,
  height: undefined,
  out: undefined,
  subjectRef: undefined,
  ...over,
});

describe('checkImageFlags (mmx-cli 1.0.27 rules)', () => {
  it('accepts width and height together within 512–2048 in steps of 8, and --out with one image', () => {
    expect(() => checkImageFlags(flags({ width: 512, height: 2048 }))).not.toThrow();
    expect(() => checkImageFlags(flags({ out: 'a.jpg', n: 1 }))).not.toThrow();
    expect(() => checkImageFlags(flags({ n: 9 }))).not.toThrow();
  });
  it.each([
    [{ width: 1024 }, '--width requires --height'],
    [{ height: 1024 }, '--height requires --width'],
    [{ width: 504, height: 1024 }, '--width must be between 512 and 2048, got 504.'],
    [{ width: 1024, height: 2056 }, '--height must be between 512 and 2048, got 2056.'],
    [{ width: 1028, height: 1024 }, '--width must be a multiple of 8, got 1028.'],
    [{ out: 'a.jpg', n: 2 }, '--out cannot be used with --n > 1'],
    [{ n: 10 }, '--n must be at most 9'],
    [{ subjectRef: 'type=character' }, '--subject-ref needs an image'],
  ])('%j → %s', (over, message) => {
    expect(() => checkImageFlags(flags(over))).toThrow(UsageError);
    expect(() => checkImageFlags(flags(over))).toThrow(message);
  });
});

describe('parseSubjectRef', () => {
  it('reads type and image; type defaults to character; an image may hold "=" and spaces around are trimmed', () => {
    expect(parseSubjectRef('type=character,image=face.png')).toEqual({ type: 'character', image: 'face.png' });
    expect(parseSubjectRef('image=https://x/y?a=b')).toEqual({ type: 'character', image: 'https://x/y?a=b' });
    expect(parseSubjectRef(' image = a.jpg ')).toEqual({ type: 'character', image: 'a.jpg' });
  });
});

describe('imageBody', () => {
  const base = {
    prompt: 'p',
    aspectRatio: undefined,
    width: undefined,
    height: undefined,
    n: 1,
    seed: undefined,
    promptOptimizer: undefined,
    aigcWatermark: undefined,
    responseFormat: 'url' as const,
  };
  it('sends only what is set; width and height replace the aspect ratio; switches only when on', () => {
    expect(imageBody(base)).toEqual({ model: 'image-01', prompt: 'p', n: 1, response_format: 'url' });
    expect(imageBody({ ...base, aspectRatio: '1:1', width: 1024, height: 768 })).toEqual({
      model: 'image-01',
      prompt: 'p',
      width: 1024,
      height: 768,
      n: 1,
      response_format: 'url',
    });
    expect(imageBody({ ...base, aspectRatio: '1:1', promptOptimizer: false, aigcWatermark: true, seed: 0 })).toEqual({
      model: 'image-01',
      prompt: 'p',
      aspect_ratio: '1:1',
      n: 1,
      seed: 0,
      aigc_watermark: true,
      response_format: 'url',
    });
  });
  it('a subject link is image_url, a data URI image_file', () => {
    expect(imageBody({ ...base, subject: { type: 'character', url: 'https://x/a.png' } }).subject_reference).toEqual([
      { type: 'character', image_url: 'https://x/a.png' },
    ]);
    expect(imageBody({ ...base, subject: { type: 'character', url: 'data:image/png;base64,AA==' } }).subject_reference).toEqual([
      { type: 'character', image_file: 'data:image/png;base64,AA==' },
    ]);
  });
});

describe('parseImageResult', () => {
  it("reads the API's answer (id, metadata counts as strings) and mmx-cli's data.* fields alike", () => {
    expect(
      parseImageResult({ id: 'abc', data: { image_urls: ['u1'] }, metadata: { success_count: '1', failed_count: '0' }, base_resp: {} }),
    ).toEqual({ id: 'abc', urls: ['u1'], base64: [], successCount: 1, failedCount: 0 });
    expect(parseImageResult({ data: { task_id: 7, image_base64: ['QQ=='], success_count: 1, failed_count: 2 } })).toEqual({
      id: '7',
      urls: [],
      base64: ['QQ=='],
      successCount: 1,
      failedCount: 2,
    });
  });
  it('a payload without data, or with a non-list of links, is a shape error', () => {
    expect(() => parseImageResult({ base_resp: {} })).toThrow(ResponseShapeError);
    expect(() => parseImageResult({ data: { image_urls: 'u1' } })).toThrow(ResponseShapeError);
  });
});

describe('names and sizes', () => {
  it("imageFileNames: mmx-cli's <prefix>_NNN.jpg", () => {
    expect(imageFileNames('out', 'image', 3)).toEqual(['out/image_001.jpg', 'out/image_002.jpg', 'out/image_003.jpg']);
    expect(imageFileNames('.', 'logo', 1)).toEqual(['logo_001.jpg']);
  });
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [262144, '256.0 KB'],
    [104857600, '100.0 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])("formatSize(%i) is mmx-cli's %s", (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
  it('defaultVideoPath: $TMPDIR/mmx-video/<task>.mp4, the id made safe for a file name', () => {
    expect(defaultVideoPath({ TMPDIR: '/var/tmp' }, '/tmp', '1234')).toBe('/var/tmp/mmx-video/1234.mp4');
    expect(defaultVideoPath({}, '/tmp', '../x y')).toBe('/tmp/mmx-video/.._x_y.mp4');
  });
});

describe('fieldsText (mmx-cli text output)', () => {
  it('key: value lines, lists as "  - item", nested records indented, absent fields left out', () => {
    expect(fieldsText({ id: 'x', saved: ['a.jpg', 'b.jpg'], gone: undefined, none: null, count: 0 })).toBe(
      'id: x\nsaved:\n  - a.jpg\n  - b.jpg\ncount: 0',
    );
    expect(fieldsText({ task_id: '1', error: { code: '1027', message: 'withheld' } })).toBe(
      'task_id: 1\nerror:\n  code: 1027\n  message: withheld',
    );
  });
});

describe('local media as data URIs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmx-media-'));
  const rule = { kind: 'image' as const, maxBytes: 100, flag: '--image', owner: 'the video API' };

  it('links pass as given; data URIs are measured; local files are read', async () => {
    expect(isLink('https://a/b.png')).toBe(true);
    expect(isLink('mm_file://123')).toBe(true);
    expect(isLink('./https.png')).toBe(false);
    expect(await mediaUrl('https://a/b.png', rule)).toBe('https://a/b.png');
    expect(dataUriBytes('data:image/png;base64,AAAA')).toBe(3);
    expect(dataUriBytes('data:image/png;base64,AA==')).toBe(1);
    expect(dataUriBytes('not a uri')).toBeUndefined();
    const file = join(dir, 'A.JPG');
    writeFileSync(file, Buffer.from([1, 2, 3]));
    expect(await mediaUrl(file, rule)).toBe('data:image/jpeg;base64,AQID');
  });

  it('audio/mpeg data URIs become audio/mp3, as the API wants', async () => {
    expect(await mediaUrl('data:audio/mpeg;base64,AA==', { ...rule, kind: 'audio' })).toBe('data:audio/mp3;base64,AA==');
  });

  it('refused: an unknown type, a missing file, a file or data URI over the limit', async () => {
    expect(() => mediaTypeOf('clip.avi', { kind: 'video', flag: '--reference-video' })).toThrow(
      '--reference-video: clip.avi is not a supported video (mp4, mov).',
    );
    await expect(mediaUrl(join(dir, 'none.png'), rule)).rejects.toThrow(`--image: ${join(dir, 'none.png')} does not exist.`);
    const big = join(dir, 'big.png');
    writeFileSync(big, '');
    truncateSync(big, 101);
    await expect(mediaUrl(big, rule)).rejects.toThrow('--image: big.png is 0.0 MB; the video API takes image files up to 0.0 MB.');
    await expect(mediaUrl(`data:image/png;base64,${'A'.repeat(200)}`, rule)).rejects.toThrow('--image: the data URI is');
    await expect(mediaUrl('data:image/png,raw', rule)).rejects.toThrow('--image: not a base64 data URI');
  });

  it('abbreviateDataUris: --dry-run shows the size, not the base64', () => {
    expect(abbreviateDataUris({ a: ['data:image/png;base64,AAAA', 'https://x'], b: 1 })).toEqual({
      a: ['data:image/png;base64,… (3 bytes)', 'https://x'],
      b: 1,
    });
  });
});
