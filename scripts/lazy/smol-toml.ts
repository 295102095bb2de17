// Entry of dist/lazy/smol-toml.cjs: required only by mmx agent setup (Codex and Grok's config.toml).
export { parse } from 'smol-toml';
