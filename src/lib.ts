/** Library entry for tools beside the CLI (the benchmark): the SSE decoder and the Messages stream reader. */
export { decodeSse } from './api/sse.js';
export { readMessageStream } from './api/message-stream.js';
