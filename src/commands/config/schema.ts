/**
 * `mmx config schema`: the JSON Schema of config.json, generated from the
 * settings registry (for editors and for checking a file in CI). mmx-cli's
 * `export-schema` is about commands; this one is about the file.
 */
import { defineCommand } from '../../cli/command.js';
import { SETTINGS, jsonSchemaOf } from '../../config/settings.js';
import { AUTH_STYLES, FAMILIES } from '../../auth/strategy.js';

export function configJsonSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    if (!setting.stored) continue;
    const schema = jsonSchemaOf(setting.type);
    const env = 'env' in setting && setting.env ? ` Environment: ${setting.env}.` : '';
    properties[setting.key] = {
      ...schema,
      description: `${setting.help}.${env}`,
      ...('default' in setting && setting.default !== undefined ? { default: setting.default } : {}),
    };
  }
  properties.auth_styles = {
    description: 'Auth header styles that worked after an auto-switch: base-URL origin → endpoint family → style. Written by mmx.',
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: Object.fromEntries(FAMILIES.map((f) => [f, { type: 'string', enum: [...AUTH_STYLES] }])),
      additionalProperties: false,
    },
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'mmx config.json',
    type: 'object',
    properties,
    // mmx-cli's keys (such as its oauth block) and newer versions' keys are kept as they are.
    additionalProperties: true,
  };
}

export default defineCommand({
  path: ['config', 'schema'],
  summary: 'print the JSON Schema of config.json',
  flags: {},
  examples: ['mmx config schema > mmx-config.schema.json'],
  needs: { key: false },
  async run(ctx) {
    ctx.printJson(configJsonSchema());
  },
});
