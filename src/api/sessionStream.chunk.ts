// Lazy chunk entry (dist/stream.js): the live-stream code, its SSE parser and reconnects, which
// only a session document that follows a run needs. QoderClient requires it on the first stream.
export { streamEvents } from './sessionStream';
