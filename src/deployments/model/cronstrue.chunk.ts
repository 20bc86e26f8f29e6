// cronstrue with the zh_CN locale registered. Built apart as dist/cronstrue.js and required on
// the first schedule put into words (describe.ts), so activation and background loads never pay
// for it.
import cronstrue from 'cronstrue';
import 'cronstrue/locales/zh_CN.js';

export const cronToString: typeof cronstrue.toString = (expression, options) => cronstrue.toString(expression, options);
