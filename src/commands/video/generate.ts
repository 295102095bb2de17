/**
 * `mmx video generate`: a video from a prompt (and images, or H3 references),
 * on the v1 endpoint or, for MiniMax-H3, the v2 one, as mmx-cli 1.0.27 chooses;
 * then a wait with progress and a download, or the task id at once with
 * --no-wait/--async. The declaration; the run is loaded when the command runs.
 */
import { InvalidArgumentError } from 'commander';
import { defineCommand } from '../../cli/command.js';
import { type InputOf, flag, positiveNumber } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';

/** Seconds between status checks: at least 1 (video APIs allow a few requests a minute). */
export function pollSeconds(name: string) {
  const number = positiveNumber(name);
  return (value: string): number => {
    const n = number(value);
    if (n < 1) throw new InvalidArgumentError(`${name} must be at least 1 second.`);
    return n;
  };
}

export const VIDEO_FLAGS = {
  model: flag.string('--model <model>', 'model: MiniMax-H3 (v2), MiniMax-Hailuo-2.3, MiniMax-Hailuo-2.3-Fast, MiniMax-Hailuo-02, S2V-01', {
    defaultHelp:
      'MiniMax-Hailuo-02 with --last-frame, S2V-01 with --subject-image, else config default_video_model, else MiniMax-Hailuo-2.3',
  }),
  prompt: flag.string('--prompt <text>', 'video description', { required: true }),
  image: flag.path('--image <path-or-url>', 'first frame, for image-to-video (a local file, URL, data URI or mm_file:// id)'),
  firstFrame: flag.path('--first-frame <path-or-url>', 'old name of --image', { hidden: true }),
  lastFrame: flag.path('--last-frame <path-or-url>', 'last frame; legacy models need --image too (Hailuo-02), MiniMax-H3 takes it alone'),
  subjectImage: flag.path('--subject-image <path-or-url>', 'subject reference for character consistency (switches to S2V-01)'),
  referenceImage: flag.list('--reference-image <path-or-url>', 'MiniMax-H3 reference image; repeatable (up to 9)', { complete: 'file' }),
  referenceVideo: flag.list(
    '--reference-video <path-or-url>',
    'MiniMax-H3 reference video (MP4/MOV, URL, data URI or mm_file:// id); repeatable (up to 3)',
    {
      complete: 'file',
    },
  ),
  referenceAudio: flag.list(
    '--reference-audio <path-or-url>',
    'MiniMax-H3 reference audio (MP3/WAV); repeatable (up to 3); needs a reference image or video',
    {
      complete: 'file',
    },
  ),
  duration: flag.number('--duration <seconds>', 'MiniMax-H3 length in whole seconds, 4 to 15 (default: 5)', {
    parse: positiveNumber('--duration'),
  }),
  ratio: flag.string('--ratio <ratio>', 'MiniMax-H3 aspect ratio: adaptive, 21:9, 16:9, 4:3, 1:1, 3:4 or 9:16'),
  callbackUrl: flag.string('--callback-url <url>', 'URL the API notifies when the task is done'),
  download: flag.path('--download <path>', 'save the video here', { defaultHelp: '$TMPDIR/mmx-video/<task id>.mp4' }),
  noWait: flag.boolean('--no-wait', 'print the task id at once ({"taskId": …}) instead of waiting'),
  async: flag.boolean('--async', 'the same as --no-wait (for agents and CI)'),
  pollInterval: flag.number('--poll-interval <seconds>', 'seconds between status checks while waiting', {
    default: 5,
    parse: pollSeconds('--poll-interval'),
  }),
  force: flag.boolean('--force', 'overwrite the --download file without asking'),
};
export type VideoInput = InputOf<typeof VIDEO_FLAGS, Record<never, never>>;

export default defineCommand({
  path: ['video', 'generate'],
  summary: 'generate a video (Hailuo, or MiniMax-H3 on the v2 API), wait for it and download it',
  flags: VIDEO_FLAGS,
  examples: [
    'mmx video generate --prompt "Ocean waves at sunset." --download sunset.mp4',
    'mmx video generate --prompt "A robot painting." --async --quiet',
    'mmx video generate --prompt "The subject walks forward" --image start.jpg --last-frame end.jpg',
    'mmx video generate --prompt "A detective walking" --subject-image character.jpg',
    'mmx video generate --model MiniMax-H3 --prompt "Keep the same character" --reference-image hero.png --duration 8',
    'mmx video generate --prompt "A timelapse of a city" --timeout 900 --download city.mp4',
  ],
  notes:
    '--timeout bounds the whole wait for the task (default 300 s, as mmx-cli); each status check has its own 30 s bound. ' +
    'Ctrl-C or the deadline leaves the task running and prints the command that resumes it ' +
    '(mmx video task get --task-id … --wait). Local images are sent inside the request as data URIs, checked first ' +
    '(v1: up to 20 MB; MiniMax-H3: images 30 MB, videos 50 MB, audio 15 MB). The request that creates the task is never ' +
    'sent twice: a second one would be a second paid video.',
  needs: { key: true, interactive: true },
  strayHint: (word) => `Pass the prompt with --prompt "${word}" (quoted as one argument).`,
  validate(input) {
    if (input.image !== undefined && input.firstFrame !== undefined) {
      throw new UsageError('--image and --first-frame are aliases; provide only one.');
    }
  },
  run: async (ctx, input) => (await import('./generate-run.js')).generateVideo(ctx, input),
});
