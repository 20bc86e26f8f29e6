// The one copy of every module a lazy chunk shares with the main bundle. Lazy chunks
// (dist/sessions.js, dist/editor.js, dist/chat.js, ...) would otherwise bundle their own copies:
// an empty token set that redacts nothing, an unconfigured l10n, error classes that fail
// `instanceof`, a second API client. The main bundle exports this object; esbuild.mjs reads the
// `import * as` lines below and turns a chunk's import of any of those modules into a read of
// the main bundle's copy. It fails the build when a chunk would carry its own copy of any other
// module of the main bundle that esbuild.mjs does not list as stateless. Under tsx (unit and
// integration tests) imports resolve as usual: there is one copy of everything anyway.

import * as l10n from '@vscode/l10n';
import * as display from '../common/display';
import * as errors from '../api/errors';
import * as deploymentStore from '../deployments/model/deploymentStore';
import * as pause from '../deployments/commands/pause';
import * as resume from '../deployments/commands/resume';
import * as runNow from '../deployments/commands/runNow';
import * as client from '../api/client';
import * as parse from '../api/parse';
import * as body from '../api/body';
import * as envelope from '../api/envelope';
import * as retry from '../api/retry';
import * as transport from '../api/transport';
import * as runHealth from '../runs/model/runHealth';
import * as errorTypes from '../common/errorTypes';
import * as runState from '../runs/model/runState';
import * as timeText from '../common/timeText';
import * as outcomeText from '../agentSessions/model/outcomeText';

export const kernel = { l10n, display, errors, deploymentStore, pause, resume, runNow, client, parse, body, envelope, retry, transport, runHealth, errorTypes, runState, timeText, outcomeText };

export type Kernel = typeof kernel;
