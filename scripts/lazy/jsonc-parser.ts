// Entry of dist/lazy/jsonc-parser.cjs: required only by mmx agent setup (JSON and JSONC agent files).
// Its ES module build: the UMD one that `main` names requires its parts at run time, which a bundle cannot follow.
export { applyEdits, modify, parse, printParseErrorCode } from 'jsonc-parser/lib/esm/main.js';
