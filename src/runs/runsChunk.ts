// Loads the runs chunk (runs.chunk.ts) on first use; the bundle maps it to dist/runs.js.

type RunsChunk = typeof import('./runs.chunk');
let chunk: RunsChunk | undefined;

export function runsChunk(): RunsChunk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  chunk ??= require('./runs.chunk') as RunsChunk;
  return chunk;
}
