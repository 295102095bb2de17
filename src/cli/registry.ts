/**
 * The registry: the only module that imports every command. It lists each
 * group and command once, in the order help shows them; the commander tree,
 * the help snapshot, the code-cache warm-up, shell completion and
 * `config export-schema` are all derived from it. Adding a command is one file
 * and one line here.
 */
import authLogin from '../commands/auth/login.js';
import authLogout from '../commands/auth/logout.js';
import authStatus from '../commands/auth/status.js';
import completion from '../commands/completion.js';
import complete from '../commands/__complete.js';
import configExportSchema from '../commands/config/export-schema.js';
import configGet from '../commands/config/get.js';
import configPath from '../commands/config/path.js';
import configSchema from '../commands/config/schema.js';
import configSet from '../commands/config/set.js';
import configShow from '../commands/config/show.js';
import configUnset from '../commands/config/unset.js';
import imageGenerate from '../commands/image/generate.js';
import quotaShow from '../commands/quota/show.js';
import textChat from '../commands/text/chat.js';
import videoDownload from '../commands/video/download.js';
import videoGenerate from '../commands/video/generate.js';
import videoTaskGet from '../commands/video/task/get.js';
import { type AnyCommand, type GroupSpec, defineGroup } from './command.js';

export const GROUPS: readonly GroupSpec[] = [
  defineGroup({ path: ['auth'], summary: 'log in, check and log out' }),
  defineGroup({ path: ['quota'], summary: 'show Token Plan usage (or the balance of a pay-as-you-go key)' }),
  // `text repl` joins chat here (the Beyond issue); until then `mmx text` is not a shortcut for chat.
  defineGroup({ path: ['text'], summary: 'text models', shortcut: false }),
  defineGroup({ path: ['image'], summary: 'generate images (image-01)' }),
  defineGroup({ path: ['video'], summary: 'generate videos, follow their tasks and download them' }),
  defineGroup({ path: ['video', 'task'], summary: 'video tasks' }),
  defineGroup({ path: ['config'], summary: 'show and change settings (config.json), and export command schemas for agents' }),
];

export const COMMANDS: readonly AnyCommand[] = [
  authLogin,
  authStatus,
  authLogout,
  quotaShow,
  textChat,
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
  completion,
  complete,
];
