/**
 * `mmx vision describe` (and `mmx vision photo.jpg` by the group shortcut): POST
 * /v1/coding_plan/vlm with `{prompt, image_url}` (the picture as a `data:` URI) or
 * `{prompt, file_id}`. Token Plan keys only. Text output is the description, JSON
 * the payload as received.
 */
import type { Parsed } from '../../api/request.js';
import { type VisionImage, codingPlan } from '../../api/resources/coding-plan.js';
import { askForValue } from '../../cli/ask.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { arg, flag } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';
import { withProgress } from '../../output/progress.js';
import { checkImageFile, describeImage, imageDataUri, imageSource } from './image.js';

/** mmx-cli 1.0.27's question when none is given (an empty --prompt too). */
export const DEFAULT_PROMPT = 'Describe the image.';

export type Target = { kind: 'image'; value: string } | { kind: 'file-id'; value: string } | { kind: 'none' };

/** What to look at, from --image (or its aliases), the positional and --file-id; exactly one, or none yet. */
export function targetOf(image: string | undefined, positional: string | undefined, fileId: string | undefined): Target {
  if (image !== undefined && positional !== undefined && image !== positional) {
    throw new UsageError('The image is given twice: with --image and as an argument.', { hint: 'Give it once: mmx vision photo.jpg' });
  }
  const picture = image ?? positional;
  if (picture !== undefined && fileId !== undefined) {
    throw new UsageError('Conflicting arguments: cannot provide both --image and --file-id.');
  }
  if (picture !== undefined) {
    if (picture.trim() === '') throw new UsageError('--image is empty.');
    return { kind: 'image', value: picture };
  }
  if (fileId !== undefined) {
    if (fileId.trim() === '') throw new UsageError('--file-id is empty.');
    return { kind: 'file-id', value: fileId.trim() };
  }
  return { kind: 'none' };
}

/** mmx-cli's reading of a typed answer: a link, a data URI or something with a dot is a picture, else a file id. */
export function targetOfAnswer(answer: string): Target {
  return answer.startsWith('http') || answer.startsWith('data:') || answer.includes('.')
    ? { kind: 'image', value: answer }
    : { kind: 'file-id', value: answer };
}

const missing = () =>
  new UsageError('Missing required argument. Must provide either --image or --file-id.', {
    hint: 'mmx vision describe --image <path> OR --file-id <id>',
  });

async function resolveTarget(ctx: Context, target: Target): Promise<Exclude<Target, { kind: 'none' }>> {
  if (target.kind !== 'none') return target;
  const answer = await askForValue(ctx, 'Enter image path, URL, or File ID:', 'Vision describe cancelled.');
  if (answer === undefined) throw missing();
  return targetOfAnswer(answer) as Exclude<Target, { kind: 'none' }>;
}

export default defineCommand({
  path: ['vision', 'describe'],
  summary: 'describe an image, or answer a question about it (Token Plan keys)',
  flags: {
    image: flag.path('--image <path-or-url>', 'a picture: a file (jpg, png, webp, heic), an http(s) URL or a data: URI', {
      aliases: ['--file <path-or-url>', '--path <path-or-url>'],
    }),
    fileId: flag.string('--file-id <id>', 'a file uploaded before ("mmx file upload"), instead of --image'),
    prompt: flag.string('--prompt <text>', 'the question about the image', { default: DEFAULT_PROMPT }),
  },
  args: { picture: arg.optional('[image]', 'the picture, instead of --image', { complete: 'file' }) },
  examples: [
    'mmx vision photo.jpg',
    'mmx vision describe --image https://example.com/dog.jpg --prompt "What breed is this dog?"',
    'mmx vision describe --file-id 176844028768320 --prompt "Extract the text" --output json | jq -r .content',
  ],
  notes:
    'A URL is downloaded first (without your key) and sent inline, as is a file; either may be at most 50 MB. ' +
    'Only Token Plan keys (sk-cp-…) may use vision; a pay-as-you-go key gets "not token plan token".',
  needs: { key: true, interactive: true },
  validate({ image, picture, fileId }) {
    targetOf(image, picture, fileId);
  },
  async run(ctx, { image, picture, fileId, prompt }) {
    const question = prompt.trim() === '' ? DEFAULT_PROMPT : prompt;
    const target = await resolveTarget(ctx, targetOf(image, picture, fileId));
    const client = await ctx.client();
    const source = target.kind === 'image' ? imageSource(target.value) : undefined;

    if (ctx.settings.dryRun) {
      const size = source?.kind === 'file' ? (await checkImageFile(source.path)).size : undefined;
      const shown: VisionImage = source ? { imageUrl: describeImage(source, size) } : { fileId: target.value };
      return printDryRun(ctx, [client.describe(codingPlan.vision(question, shown))]);
    }
    const sent: VisionImage = source ? { imageUrl: await imageDataUri(ctx, source) } : { fileId: target.value };
    const answer: Parsed<string> = await withProgress(ctx, { kind: 'wait', label: 'Looking at the image' }, () =>
      client.send(codingPlan.vision(question, sent)),
    );
    ctx.result(answer.payload, () => answer.value);
    return 0;
  },
});
