/**
 * `mmx image generate` (also `mmx image "a cat"`): images from a prompt with
 * image-01, saved as mmx-cli 1.0.27 names them. The declaration; the run is
 * loaded when the command runs (generate-run.ts), so other commands never pay
 * for it.
 */
import { defineCommand } from '../../cli/command.js';
import { type InputOf, arg, flag, positiveInt, wholeNumber } from '../../cli/flags.js';
import { checkImageFlags } from '../../media/image-request.js';

export const IMAGE_FLAGS = {
  prompt: flag.string('--prompt <text>', 'image description (or give it as the argument)', { required: true }),
  aspectRatio: flag.string(
    '--aspect-ratio <ratio>',
    'aspect ratio (1:1, 16:9, 4:3, 3:2, 2:3, 3:4, 9:16, 21:9); ignored with --width and --height',
  ),
  n: flag.number('--n <count>', 'number of images, 1 to 9', { default: 1, parse: positiveInt('--n') }),
  seed: flag.number('--seed <n>', 'random seed: the same seed and prompt give the same images', { parse: wholeNumber('--seed') }),
  width: flag.number('--width <px>', 'width in pixels, 512 to 2048, a multiple of 8; with --height, overrides --aspect-ratio', {
    parse: positiveInt('--width'),
  }),
  height: flag.number('--height <px>', 'height in pixels, 512 to 2048, a multiple of 8; with --width', { parse: positiveInt('--height') }),
  promptOptimizer: flag.boolean('--prompt-optimizer', 'let the API improve the prompt before generating'),
  aigcWatermark: flag.boolean('--aigc-watermark', 'embed an AI-generated-content watermark in the images'),
  subjectRef: flag.string('--subject-ref <params>', 'character reference for consistency: type=character,image=<path-or-url>'),
  out: flag.path('--out <path>', 'save the image to this exact path (with --n 1)'),
  responseFormat: flag.choice(
    '--response-format <format>',
    ['url', 'base64'] as const,
    'url: downloaded from the CDN; base64: sent inside the answer',
    {
      default: 'url',
    },
  ),
  outDir: flag.path('--out-dir <dir>', 'directory to save the images in (created when missing)', { defaultHelp: 'the current directory' }),
  outPrefix: flag.string('--out-prefix <prefix>', 'file name prefix: <prefix>_001.jpg, <prefix>_002.jpg, …', { default: 'image' }),
  force: flag.boolean('--force', 'overwrite existing files without asking'),
};
export const IMAGE_ARGS = { text: arg.optional('[prompt]', 'the image description, instead of --prompt') };
export type ImageInput = InputOf<typeof IMAGE_FLAGS, typeof IMAGE_ARGS>;

export default defineCommand({
  path: ['image', 'generate'],
  summary: 'generate images from a prompt (image-01)',
  flags: IMAGE_FLAGS,
  args: IMAGE_ARGS,
  examples: [
    'mmx image "A cat in a spacesuit on Mars" --aspect-ratio 16:9',
    'mmx image generate --prompt "Logo design" --n 3 --out-dir ./generated/',
    'mmx image generate --prompt "A castle" --seed 42 --width 1920 --height 1080',
    'mmx image generate --prompt "A cat" --out /tmp/cat.jpg --quiet',
    'mmx image generate --prompt "Same hero, new scene" --subject-ref type=character,image=hero.png',
    'mmx image generate --prompt "A cat" --response-format base64   # no CDN download',
  ],
  notes:
    'Images are saved as <prefix>_001.jpg, … in --out-dir (or at --out), each written whole or not at all. ' +
    'An existing file is overwritten in scripts and asked about on a terminal (--force: never ask). ' +
    'The result lists the saved paths (--quiet: only the paths).',
  needs: { key: true, interactive: true },
  validate(input) {
    checkImageFlags(input);
  },
  run: async (ctx, input) => (await import('./generate-run.js')).generateImages(ctx, input),
});
