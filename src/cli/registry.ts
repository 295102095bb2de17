/**
 * The registry: the only module that imports every command. It lists each
 * group and command once, in the order help shows them; the commander tree,
 * the help snapshot, the code-cache warm-up, shell completion and
 * `config export-schema` are all derived from it. Adding a command is one file
 * and one line here.
 */
import agentSetup from '../commands/agent/setup.js';
import authLogin from '../commands/auth/login.js';
import authLogout from '../commands/auth/logout.js';
import authRefresh from '../commands/auth/refresh.js';
import authStatus from '../commands/auth/status.js';
import authSwitch from '../commands/auth/switch.js';
import authToken from '../commands/auth/token.js';
import completion from '../commands/completion.js';
import complete from '../commands/__complete.js';
import configExportSchema from '../commands/config/export-schema.js';
import configGet from '../commands/config/get.js';
import configPath from '../commands/config/path.js';
import configSchema from '../commands/config/schema.js';
import configSet from '../commands/config/set.js';
import configShow from '../commands/config/show.js';
import configUnset from '../commands/config/unset.js';
import models from '../commands/models.js';
import fileDelete from '../commands/file/delete.js';
import fileList from '../commands/file/list.js';
import fileUpload from '../commands/file/upload.js';
import imageGenerate from '../commands/image/generate.js';
import quotaShow from '../commands/quota/show.js';
import searchQuery from '../commands/search/query.js';
import speechSynthesize from '../commands/speech/synthesize.js';
import speechTranscribe from '../commands/speech/transcribe.js';
import speechVoices from '../commands/speech/voices.js';
import textChat from '../commands/text/chat.js';
import textRepl from '../commands/text/repl.js';
import textHistoryList from '../commands/text/history/list.js';
import textHistoryRm from '../commands/text/history/rm.js';
import textHistoryShow from '../commands/text/history/show.js';
import update from '../commands/update.js';
import visionDescribe from '../commands/vision/describe.js';
import videoDownload from '../commands/video/download.js';
import videoGenerate from '../commands/video/generate.js';
import videoTaskGet from '../commands/video/task/get.js';
import { type AnyCommand, type GroupSpec, defineGroup } from './command.js';

export const GROUPS: readonly GroupSpec[] = [
  defineGroup({ path: ['auth'], summary: 'log in (OAuth or an API key), check, refresh, switch profiles, print the token and log out' }),
  defineGroup({ path: ['quota'], summary: 'show Token Plan usage (or the balance of a pay-as-you-go key)' }),
  defineGroup({ path: ['text'], summary: 'chat with text models, one-shot or interactive, and the kept conversations' }),
  defineGroup({
    path: ['text', 'history'],
    summary: 'the kept conversations (mmx text chat -c continues the latest)',
    defaultCommand: 'list',
  }),
  defineGroup({ path: ['search'], summary: 'search the web (Token Plan keys)' }),
  defineGroup({ path: ['vision'], summary: 'describe images (Token Plan keys)' }),
  defineGroup({ path: ['speech'], summary: 'speech synthesis and transcription (synthesize, transcribe, voices)' }),
  defineGroup({ path: ['image'], summary: 'generate images (image-01)' }),
  defineGroup({ path: ['video'], summary: 'generate videos, follow their tasks and download them' }),
  defineGroup({ path: ['video', 'task'], summary: 'video tasks' }),
  defineGroup({ path: ['config'], summary: 'show and change settings (config.json), and export command schemas for agents' }),
  defineGroup({ path: ['file'], summary: 'upload, list and delete files in MiniMax storage' }),
  defineGroup({ path: ['agent'], summary: 'configure coding agents (Claude Code, Codex, …) for MiniMax, in your region' }),
];

export const COMMANDS: readonly AnyCommand[] = [
  authLogin,
  authStatus,
  authRefresh,
  authSwitch,
  authToken,
  authLogout,
  quotaShow,
  textChat,
  textRepl,
  textHistoryList,
  textHistoryShow,
  textHistoryRm,
  models,
  searchQuery,
  visionDescribe,
  speechSynthesize,
  speechTranscribe,
  speechVoices,
  imageGenerate,
  videoGenerate,
  videoTaskGet,
  videoDownload,
  configShow,
  configGet,
  configSet,
  configUnset,
  configPath,
  configExportSchema,
  configSchema,
  fileUpload,
  fileList,
  fileDelete,
  agentSetup,
  update,
  completion,
  complete,
];
