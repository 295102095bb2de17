// Entry of dist/lazy/diff.cjs: required only by mmx agent setup --dry-run.
export { createTwoFilesPatch } from 'diff';
