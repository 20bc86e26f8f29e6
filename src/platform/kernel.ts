// The one copy of every module whose state must exist once. Lazy chunks (dist/sessions.js,
// dist/editor.js, dist/cronstrue.js) would otherwise bundle their own copies: an empty token set
// that redacts nothing, an unconfigured l10n, error classes that fail `instanceof`. The main
// bundle exports this object; esbuild.mjs turns a chunk's import of any module listed here into
// a read of it, and fails the build when a chunk carries any other module of the main bundle
// that is not declared stateless there. Under tsx (unit and integration tests) imports resolve
// normally: there is one copy of everything anyway.

import * as l10n from '@vscode/l10n';
import * as display from '../common/display';
import * as errors from '../api/errors';
import * as redact from '../api/redact';

/** Keyed by the import as esbuild.mjs resolves it (a package name, or a path under src/). */
export const kernel = {
  '@vscode/l10n': l10n,
  'src/common/display.ts': display,
  'src/api/errors.ts': errors,
  'src/api/redact.ts': redact,
} as const;

export type Kernel = typeof kernel;
