// The script idioms `npm run compare` runs through mmx and mmx-cli 1.0.27. Each is
// a bash command line that calls plain `mmx` (scripts/compare.mjs puts the client
// under test first on PATH), with the emulator options, faults, config.json and
// environment it needs. `why` names the deliberate difference, as README's "Where
// mmx deliberately differs from mmx-cli" states it, for idioms where the two differ.
import { EMULATOR_KEYS } from '../dist/emulator/index.js';

/** The global demo key: mmx-cli sends x-api-key on chat, which a global emulator accepts. */
export const KEY = EMULATOR_KEYS.global;
/** A key no emulator knows: every check of it is rejected (HTTP 401). */
const REJECTED_KEY = 'sk-cp-compare-rejected-0000000000000000000000';
/** The emulator's clock, so quota windows and their reset times are the same on every run. */
export const FIXED_NOW = Date.UTC(2026, 9, 1, 10, 0, 0);
/** A loopback port where nothing listens: connections are refused at once. */
const DEAD = 'http://127.0.0.1:9';

/** The reason for idioms whose only difference is the text of a message. */
const WORDING =
  "messages are worded by mmx; a JSON error keeps mmx-cli's code, message and hint and adds api_code and request_id when known. Scripts should read the exit code or error.code, not the message.";
/** mmx-cli's streaming chat writes a spinner and a "Response:" heading to stderr even when it is not a terminal. */
const STREAM_STDERR =
  'while streaming, mmx-cli writes a "Thinking" spinner and a "Response:" heading to stderr even when stderr is not a terminal; mmx draws its spinner only on a terminal, so a script\'s stderr holds only warnings and errors.';

const loggedIn = (url, extra = {}) => ({ api_key: KEY, region: 'global', base_url: url, ...extra });
/** An HTTP 200 whose base_resp carries `code`, on the quota endpoint, as MiniMax's native endpoints answer errors. */
const baseResp = (code, message) => [
  { kind: 'status', status: 200, path: '/v1/token_plan/remains', body: { base_resp: { status_code: code, status_msg: message } } },
];

/** What the comparison cannot run, and why; printed at the end of the report. */
export const NOT_COMPARED = [
  'auth login with a rejected key: mmx-cli checks a key only at its built-in region hosts (never a base URL), which cannot be pointed at an emulator; test/contract/ pins mmx (exit 3, nothing saved).',
];

export const IDIOMS = [
  // stdin
  {
    id: 'chat-stdin-loop',
    title: 'a loop over stdin lines sends one request per line',
    script: `printf 'a\\nb\\nc\\n' | while read -r l; do mmx text chat --message "$l"; done`,
  },
  {
    id: 'chat-stdin-message',
    title: 'piped stdin without --message is the message',
    script: `printf 'diff --git a/x b/x\\n+hello\\n' | mmx text chat`,
    why: 'mmx reads stdin as the message when none is given; mmx-cli never reads stdin for chat (exit 2, missing --message).',
  },
  {
    id: 'chat-stdin-append',
    title: '--stdin appends piped input to the message',
    script: `printf '+hello\\n' | mmx text chat --stdin --message "review this"`,
    why: '--stdin is mmx\'s; mmx-cli does not know it, and an unknown flag there swallows the next argument ("--message").',
  },
  {
    id: 'chat-message-dash',
    title: '--message - reads the message from stdin',
    script: `printf 'from stdin\\n' | mmx text chat --message -`,
    why: 'mmx reads `--message -` from stdin; mmx-cli sends the text "-".',
  },
  // answers for $(…) and jq
  {
    id: 'chat-quiet-capture',
    title: 'ans=$(mmx text chat --message hi --quiet) is the answer text',
    script: `ans=$(mmx text chat --message hi --quiet); printf '[%s]\\n' "$ans"`,
  },
  {
    id: 'chat-quiet-json',
    title: '--quiet wins over --output json',
    script: `mmx text chat --message hi --quiet --output json`,
  },
  {
    id: 'chat-stream-quiet',
    title: '--stream --quiet piped',
    script: `mmx text chat --message hi --stream --quiet`,
    why: `--quiet prints the answer text alone when streamed too; mmx-cli prints its streamed JSON ({"content": …}) when stdout is not a terminal. And ${STREAM_STDERR}`,
  },
  {
    id: 'chat-stream-json',
    title: 'streamed JSON: content is the answer string',
    script: `mmx text chat --message hi --stream --output json`,
    why: `mmx adds thinking, content_blocks, id, model, stop_reason and usage beside mmx-cli's "content". And ${STREAM_STDERR}`,
  },
  {
    id: 'chat-json',
    title: 'non-streamed JSON is the Anthropic message as sent (content blocks, base_resp)',
    script: `mmx text chat --message hi --output json`,
  },
  {
    id: 'chat-text',
    title: 'piped text output is the answer and a newline',
    script: `mmx text chat --message hi --output text`,
  },
  {
    id: 'chat-model-flag',
    title: '--model and --system reach the request',
    script: `mmx text chat --model MiniMax-M2.5 --system "Be terse." --message "user:Hi" --message "assistant:Hello!" --message "And now?" --quiet`,
  },
  {
    id: 'chat-default-model-config',
    title: 'default_text_model from config.json',
    script: `mmx text chat --message hi --quiet`,
    config: (url) => loggedIn(url, { default_text_model: 'MiniMax-M2.5' }),
  },
  {
    id: 'chat-temperature-out-of-range',
    title: '--temperature outside (0, 1]',
    script: `mmx text chat --message hi --temperature 1.5 --quiet`,
    why: 'mmx checks --temperature and --top-p against (0, 1] before sending (exit 2); mmx-cli sends the value and the API rejects it.',
  },
  // booleans
  {
    id: 'bool-stream-false',
    title: '--stream=false',
    script: `mmx text chat --message hi --stream=false --output json`,
  },
  {
    id: 'bool-quiet-true',
    title: '--quiet=true',
    script: `mmx text chat --message hi --quiet=true`,
  },
  {
    id: 'bool-words',
    title: '1, 0, yes, no, on, off',
    script: `mmx text chat --message hi --stream=1 --quiet=yes --output text; mmx text chat --message hi --stream=off --quiet=on`,
    why: STREAM_STDERR,
  },
  {
    id: 'bool-bad-word',
    title: 'a bad boolean word is a usage error',
    script: `mmx text chat --message hi --stream=maybe`,
    why: 'mmx exits 2 (usage) for every bad flag value; mmx-cli exits 1 with a plain "Error:" line.',
  },
  {
    id: 'no-stream',
    title: '--no-stream',
    script: `mmx text chat --message hi --no-stream --quiet`,
    why: "--no-stream is mmx's; mmx-cli does not know it and takes the next argument as its value (here --quiet).",
  },
  // auth status
  {
    id: 'auth-status-json',
    title: 'auth status --output json for an accepted key',
    script: `mmx auth status --output json`,
    why: 'mmx adds "authenticated": true and its own fields (key_source, region, base_url, auth, …) beside mmx-cli\'s method, source, key and usage.',
  },
  {
    id: 'auth-status-rejected',
    title: 'auth status for a rejected key: authenticated false, exit 0',
    script: `mmx auth status --output json`,
    config: (url) => ({ api_key: REJECTED_KEY, region: 'global', base_url: url }),
    why: 'mmx keeps method, source and key and adds why the check failed (message, hint, error_code, api_code) and its own fields; mmx-cli prints a generic "Not authenticated." for every failure.',
  },
  {
    id: 'auth-status-no-key',
    title: 'auth status without a key: exit 3',
    script: `mmx auth status --output json`,
    config: () => null,
    why: `mmx also prints the status document ("authenticated": false, where it looked) on stdout. And ${WORDING}`,
  },
  {
    id: 'auth-status-exit-status-rejected',
    title: 'auth status --exit-status for a rejected key',
    script: `mmx auth status --exit-status >/dev/null; echo "exit $?"`,
    config: (url) => ({ api_key: REJECTED_KEY, region: 'global', base_url: url }),
    why: "--exit-status is mmx's; mmx-cli does not know it.",
  },
  {
    id: 'auth-status-exit-status-unreachable',
    title: 'auth status --exit-status with the API unreachable',
    script: `mmx auth status --exit-status >/dev/null; echo "exit $?"`,
    config: () => ({ api_key: KEY, region: 'global', base_url: DEAD }),
    why: "--exit-status is mmx's; mmx-cli does not know it.",
  },
  // quota
  {
    id: 'quota-tsv-percent',
    title: 'quota --output text --quiet | cut -f1,4 (percent-era payload)',
    script: `mmx quota --output text --quiet | cut -f1,4`,
  },
  {
    id: 'quota-tsv-count',
    title: 'quota --output text --quiet, the TSV (count-era payload)',
    script: `mmx quota --output text --quiet`,
    emulator: { quotaEra: 'count' },
  },
  {
    id: 'quota-quiet-piped',
    title: 'quota --quiet piped prints the JSON payload',
    script: `mmx quota --quiet`,
  },
  {
    id: 'quota-show',
    title: 'quota show --output json',
    script: `mmx quota show --output json`,
  },
  // login
  {
    id: 'login-unreachable',
    title: 'auth login --api-key … --region cn with the host unreachable: saved unverified',
    script: `mmx auth login --api-key ${KEY} --region cn`,
    config: () => null,
    // A proxy where nothing listens: the region host is unreachable for both clients, and nothing leaves the machine.
    env: () => ({ HTTPS_PROXY: DEAD }),
    why: "mmx prints the result on stdout (JSON when piped: logged_in, verified: false, the region and host) and says on stderr which host it checks; mmx-cli writes only to stderr, the warning and then its root help. (mmx's cn host is api.minimaxi.com, mmx-cli 1.0.27's api.minimax.cn.)",
  },
  {
    id: 'login-unreachable-json',
    title: 'auth login … --output json with the host unreachable: verified false',
    script: `mmx auth login --api-key ${KEY} --region cn --output json`,
    config: () => null,
    env: () => ({ HTTPS_PROXY: DEAD }),
    why: 'mmx prints a JSON result ("verified": false) when asked for JSON; mmx-cli writes only to stderr, in text.',
  },
  // help and unknown commands
  {
    id: 'help-root',
    title: 'mmx help',
    script: `mmx help | head -n 5`,
    config: () => null,
    why: "mmx help shows the help (exit 0, no key needed); mmx-cli's help command lists API documentation links and needs a key.",
  },
  {
    id: 'help-auth',
    title: 'mmx help auth',
    script: `mmx help auth | head -n 5`,
    config: () => null,
    why: 'as mmx help',
  },
  {
    id: 'help-text-chat',
    title: 'mmx help text chat',
    script: `mmx help text chat | head -n 5`,
    config: () => null,
    why: 'as mmx help',
  },
  {
    id: 'help-flag-stdout',
    title: 'text chat --help goes to stdout',
    script: `mmx text chat --help 2>/dev/null | head -n 3`,
    config: () => null,
    why: 'mmx prints --help on stdout, so `mmx … --help | less` works; mmx-cli prints it on stderr.',
  },
  {
    id: 'help-unknown-command',
    title: 'an unknown command with --help',
    script: `mmx qouta --help >/dev/null`,
    config: () => null,
    why: 'mmx says the command does not exist (exit 2); mmx-cli prints the root help (exit 0).',
  },
  {
    id: 'unknown-command',
    title: 'mmx qouta: one line with a did-you-mean',
    script: `mmx qouta`,
    why: 'mmx suggests the command meant and lists the commands in its hint; mmx-cli names the unknown command and points at --help.',
  },
  {
    id: 'unknown-flag',
    title: 'an unknown flag is a usage error and swallows nothing',
    script: `mmx quota --bogus --output json`,
    why: 'mmx exits 2 on an unknown flag; mmx-cli ignores it, taking the next argument as its value (here --output).',
  },
  {
    id: 'version',
    title: 'mmx --version',
    script: `mmx --version | sed 's/[0-9][0-9.]*/N/'`,
    config: () => null,
  },
  // config
  {
    id: 'config-show-json',
    title: 'config show --output json',
    script: `mmx config show --output json`,
    config: (url) => loggedIn(url, { default_text_model: 'MiniMax-M2.5', proxy: 'http://127.0.0.1:7890' }),
    why: 'mmx adds a <key>_source beside each field and its own settings (idle_timeout, max_retries, auth_style, auth_styles).',
  },
  {
    id: 'config-set',
    title: 'config set --key K --value V prints {K: V}',
    script: `mmx config set --key timeout --value 60`,
  },
  {
    id: 'config-set-positional',
    title: 'config set KEY VALUE (positional)',
    script: `mmx config set default_text_model MiniMax-M2.5`,
  },
  {
    id: 'config-set-api-key',
    title: 'config set --key api_key: the key masked; the stored region goes',
    script: `mmx config set --key api_key --value sk-cp-compare-new-key-000000000000000000000abcd`,
    why: 'both remove the stored region with the old key; mmx says so on stderr, mmx-cli does it silently.',
  },
  {
    id: 'config-set-dry-run',
    title: 'config set --dry-run prints {would_set: …} and writes nothing',
    script: `mmx config set --key region --value cn --dry-run`,
  },
  {
    id: 'config-set-unknown-key',
    title: 'config set of an unknown key: exit 2, listing the keys',
    script: `mmx config set --key colour --value blue`,
    why: `mmx knows more keys (its own settings) and lists them all. And ${WORDING}`,
  },
  {
    id: 'config-export-schema',
    title: 'config export-schema --command "text chat"',
    script: `mmx config export-schema --command "text chat"`,
    config: () => null,
    why: 'the schema is generated from mmx\'s own declaration: its words, its property order, its extra flags (--thinking, --stdin), and "message" is not required because --messages-file or stdin can give the messages.',
  },
  // exit codes
  {
    id: 'exit-no-key',
    title: 'no key: exit 3',
    script: `mmx quota`,
    config: () => null,
    why: WORDING,
  },
  {
    id: 'exit-401',
    title: 'HTTP 401 on chat: exit 3',
    script: `mmx text chat --message hi`,
    config: (url) => ({ api_key: REJECTED_KEY, region: 'global', base_url: url }),
    why: WORDING,
  },
  {
    id: 'exit-429',
    title: 'HTTP 429 on chat: exit 4 (mmx retries first)',
    script: `mmx text chat --message hi`,
    faults: [
      {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': '0' },
        body: { type: 'error', error: { type: 'rate_limit_error', message: 'rate limit exceeded (1002)' } },
      },
    ],
    why: `mmx retries a rate limit (--max-retries, default 2) before it fails. And ${WORDING}`,
  },
  {
    id: 'exit-1002',
    title: 'base_resp 1002 (rate limit)',
    script: `mmx quota`,
    faults: baseResp(1002, 'rate limit exceeded'),
    why: 'MiniMax documents 1002 as a rate limit: mmx retries it and exits 4; mmx-cli calls it a content-filter hit (exit 10).',
  },
  {
    id: 'exit-1039',
    title: 'base_resp 1039 (token limit)',
    script: `mmx quota`,
    faults: baseResp(1039, 'token limit exceeded'),
    why: 'MiniMax documents 1039 as a token rate limit: mmx exits 4; mmx-cli calls it a content-filter hit (exit 10).',
  },
  {
    id: 'exit-1008',
    title: 'base_resp 1008 (insufficient balance)',
    script: `mmx quota`,
    faults: baseResp(1008, 'insufficient balance'),
    why: 'an empty balance is a quota error for mmx (exit 4); mmx-cli exits 1.',
  },
  {
    id: 'exit-2056',
    title: 'base_resp 2056 (usage limit)',
    script: `mmx quota`,
    faults: baseResp(2056, 'usage limit exceeded, 5-hour usage limit reached'),
    why: 'a used-up quota window is exit 4 for mmx (and is not retried); mmx-cli exits 1.',
  },
  {
    id: 'exit-1004',
    title: 'base_resp 1004 (authentication) in HTTP 200',
    script: `mmx quota`,
    faults: baseResp(1004, "login fail: Please carry the API secret key in the 'Authorization' field of the request header"),
    why: 'a rejected key is exit 3 for mmx however the server says it; mmx-cli exits 3 only on HTTP 401/403.',
  },
  {
    id: 'exit-1026',
    title: 'base_resp 1026 (input content filter): exit 10',
    script: `mmx quota`,
    faults: baseResp(1026, 'input new_sensitive'),
    why: WORDING,
  },
  {
    id: 'exit-1027',
    title: 'base_resp 1027 (output content filter): exit 10',
    script: `mmx quota`,
    faults: baseResp(1027, 'output new_sensitive'),
    why: WORDING,
  },
  {
    id: 'exit-504',
    title: 'HTTP 504: exit 5',
    script: `mmx quota`,
    faults: [{ kind: 'status', status: 504, headers: { 'retry-after': '0' }, body: 'gateway timeout' }],
    why: `mmx retries a 504 (--max-retries) before it fails. And ${WORDING}`,
  },
  {
    id: 'exit-refused',
    title: 'connection refused: exit 6',
    script: `mmx quota`,
    config: () => ({ api_key: KEY, region: 'global', base_url: DEAD }),
    why: WORDING,
  },
  {
    id: 'exit-cut-stream',
    title: 'a stream cut before message_stop: exit 6 after what arrived',
    script: `mmx text chat --message "tell me a story" --stream --output text`,
    faults: [{ kind: 'cut-stream', afterEvents: 11 }],
    why: `mmx reports the cut (exit 6, "the connection closed mid-answer"); mmx-cli ends as if the answer were whole (exit 0). And ${STREAM_STDERR}`,
  },
  {
    id: 'exit-non-json',
    title: 'an HTML error page: exit 1',
    script: `mmx quota`,
    faults: [{ kind: 'non-json', status: 200 }],
    why: WORDING,
  },
  {
    id: 'errors-follow-output-text',
    title: 'errors follow --output text when piped',
    script: `mmx quota --output text`,
    config: (url) => ({ api_key: REJECTED_KEY, region: 'global', base_url: url }),
    why: 'mmx writes errors in the --output format; mmx-cli writes them as JSON whenever stdout is not a terminal (and as text on a terminal, even with --output json).',
  },
  {
    id: 'errors-json',
    title: 'errors with --output json',
    script: `mmx quota --output json`,
    config: (url) => ({ api_key: REJECTED_KEY, region: 'global', base_url: url }),
    why: WORDING,
  },
];
