// Entry of dist/lazy/yaml.cjs: required only by mmx agent setup (Hermes's config.yaml).
export { parseDocument } from 'yaml';
