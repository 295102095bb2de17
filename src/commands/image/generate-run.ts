/**
 * The run of `mmx image generate`: every input and output is checked first (the
 * prompt, the subject image, the target paths, an overwrite question), then one
 * paid request, then each image is saved: downloaded from its signed link with
 * download() (never with the key; an http:// link stays http://), or decoded
 * from base64, each file written whole or not at all.
 */
import { download } from '../../api/download.js';
import { type ImageResult, images } from '../../api/resources/image.js';
import type { Context } from '../../cli/context.js';
import { CliError, ExitCode } from '../../errors.js';
import { requiredText } from '../../media/ask.js';
import { imageBody, parseSubjectRef } from '../../media/image-request.js';
import { MEDIA_LIMITS, abbreviateDataUris, mediaUrl } from '../../media/inputs.js';
import { checkDirectory, checkFileTarget, confirmOverwrite, ensureParent, imageFileNames, writeFileAtomic } from '../../media/outputs.js';
import { printDryRun } from '../../output/dry-run.js';
import { fieldsText } from '../../output/fields.js';
import { withProgress } from '../../output/progress.js';
import type { ImageInput } from './generate.js';

const USAGE = 'mmx image generate --prompt <text>';

/** Where the images go: `--out` (one image), else `<out-dir>/<prefix>_NNN.jpg`; and which of those exist. */
async function targets(input: ImageInput): Promise<{ paths: string[]; existing: string[] }> {
  if (input.out !== undefined) {
    return { paths: [input.out], existing: (await checkFileTarget(input.out, '--out')) ? [input.out] : [] };
  }
  const dir = input.outDir ?? '.';
  await checkDirectory(dir, '--out-dir');
  const paths = imageFileNames(dir, input.outPrefix, input.n);
  const existing: string[] = [];
  for (const path of paths) if (await checkFileTarget(path, '--out-dir')) existing.push(path);
  return { paths, existing };
}

/** mmx-cli 1.0.27's result: `{id, saved, success_count, failed_count}`. */
function resultOf(result: ImageResult, saved: string[]): Record<string, unknown> {
  return { id: result.id, saved, success_count: result.successCount, failed_count: result.failedCount };
}

export async function generateImages(ctx: Context, input: ImageInput): Promise<void> {
  const prompt = await requiredText(ctx, input.prompt ?? input.text, {
    flag: '--prompt',
    question: 'Enter your image prompt:',
    usage: USAGE,
    cancelled: 'Image generation cancelled.',
  });
  const subject =
    input.subjectRef === undefined
      ? undefined
      : await (async () => {
          const ref = parseSubjectRef(input.subjectRef as string);
          const url = /^https?:\/\//i.test(ref.image)
            ? ref.image
            : await mediaUrl(ref.image, { kind: 'image', maxBytes: MEDIA_LIMITS.imageSubject, flag: '--subject-ref', owner: 'image-01' });
          return { type: ref.type, url };
        })();
  const body = imageBody({ ...input, prompt, subject });
  const { paths, existing } = await targets(input);
  const client = await ctx.client();
  const request = images.generate(body);
  if (ctx.settings.dryRun) {
    const described = client.describe(request);
    return void printDryRun(ctx, [{ ...described, body: abbreviateDataUris(described.body) }], { files: paths });
  }
  await confirmOverwrite(ctx, existing, input.force === true);

  const label = `Generating ${input.n === 1 ? 'an image' : `${input.n} images`}`;
  const result: ImageResult = await withProgress(ctx, { kind: 'wait', label }, () => client.send(request));
  ctx.info(`[Model: ${body.model}]`);

  const sources = body.response_format === 'base64' ? result.base64 : result.urls;
  if (sources.length === 0) {
    const withheld = result.failedCount ?? 0;
    throw withheld > 0
      ? new CliError(
          ExitCode.CONTENT_FILTER,
          `All ${withheld} image${withheld === 1 ? ' was' : 's were'} withheld by content moderation.`,
          {
            hint: 'Rephrase the prompt and try again.',
            extra: { id: result.id },
          },
        )
      : new CliError(ExitCode.GENERAL, 'The answer holds no images.', { hint: 'Run with --verbose to see the request; try again.' });
  }
  if (sources.length < input.n && input.out === undefined) {
    ctx.warn(
      `${sources.length} of ${input.n} images came back${result.failedCount ? ` (${result.failedCount} withheld by content moderation)` : ''}.`,
    );
  }

  const saved: string[] = [];
  try {
    const count = Math.min(sources.length, paths.length);
    for (let i = 0; i < count; i++) {
      const path = paths[i] as string;
      const source = sources[i] as string;
      await ensureParent(path);
      if (body.response_format === 'base64') await writeFileAtomic(path, Buffer.from(source, 'base64'));
      else await download(ctx, source, path, { force: true });
      saved.push(path);
    }
  } catch (error) {
    // What was saved stays saved; the user learns which, and that the images were paid for.
    if (error instanceof CliError) {
      error.addExtra({ saved });
      if (saved.length > 0 && !ctx.json) ctx.info(`Saved before the failure: ${saved.join(', ')}`);
    }
    throw error;
  }

  const value = resultOf(result, saved);
  if (ctx.json) ctx.printJson(value);
  else if (ctx.settings.quiet) ctx.print(`${saved.join('\n')}\n`);
  else ctx.print(`${fieldsText(value)}\n`);
}
