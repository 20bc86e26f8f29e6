// cronstrue with the zh_CN locale registered. Built apart as dist/cronstrue.js and required on
// the first schedule put into words (describe.ts), so activation and background loads never pay
// for it. In Chinese the common shapes are worded naturally (cronZh.ts).
import cronstrue from 'cronstrue';
import 'cronstrue/locales/zh_CN.js';
import { zhCronWords, zhPunctuation } from './cronZh';

export const cronToString: typeof cronstrue.toString = (expression, options) => {
  const text = cronstrue.toString(expression, options); // throws on a bad expression, as callers expect
  if (options?.locale !== 'zh_CN') return text;
  return zhCronWords(expression) ?? zhPunctuation(text);
};
