// Makes `require('vscode')` resolve to the fake, for unit tests under plain Node.
const Module = require('node:module');
const path = require('node:path');
const fakePath = path.join(__dirname, 'vscode.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'vscode') return fakePath;
  return resolve.call(this, request, ...rest);
};
