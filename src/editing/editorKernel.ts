// What dist/save.js takes from dist/editor.js instead of bundling second copies: esbuild.mjs
// reads the `import * as` lines below, as it reads src/platform/kernel.ts for the main bundle.
// The editor chunk is always loaded before the save flow (it owns the documents being saved).

import * as deploymentDocument from './model/deploymentDocument';
import * as cronSchedule from './model/cronSchedule';
import * as nameRefs from './model/nameRefs';
import * as fieldSpot from './model/fieldSpot';
import * as newDeployment from './model/newDeployment';
import * as jsonDepth from '../common/jsonDepth';

export const editorKernel = { deploymentDocument, cronSchedule, nameRefs, fieldSpot, newDeployment, jsonDepth };
