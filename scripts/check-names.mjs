// One name, one meaning (issue 18): a top-level function, or a const holding an arrow function
// or function expression, may be declared under one name in only one file of src/. Two helpers
// called `quote` that quote differently is how a caller picks the wrong one. Run by `npm run lint`.
// ALLOWED lists the names that are meant to be declared in several files, with the reason.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// A folder to check instead of src/ (the unit test gives one).
const src = process.argv[2] ? resolve(process.argv[2]) : join(root, 'src');

/** Name → why every declaration of it means the same thing. */
const ALLOWED = {
  activate: 'the extension entry point VS Code calls (src/extension.ts), the only one',
};

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

const isFunction = (e) => e !== undefined && (ts.isArrowFunction(e) || ts.isFunctionExpression(e));

/** Top-level function names of one file (overloads count once). */
function topLevelFunctions(path) {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Set();
  for (const stmt of sf.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name) names.add(stmt.name.text);
    else if (ts.isVariableStatement(stmt)) {
      for (const decl of stmt.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && isFunction(decl.initializer)) names.add(decl.name.text);
      }
    }
  }
  return names;
}

const where = new Map();
for (const path of files(src)) {
  for (const name of topLevelFunctions(path)) where.set(name, [...(where.get(name) ?? []), relative(src, path)]);
}
const repeats = [...where].filter(([name, paths]) => paths.length > 1 && !(name in ALLOWED)).sort(([a], [b]) => a.localeCompare(b));
if (repeats.length) {
  console.error(`check-names: ${repeats.length} function name(s) declared in more than one file of ${relative(root, src) || src} (rename one, or merge them; if every copy means the same, list the name in ALLOWED with the reason):`);
  for (const [name, paths] of repeats) console.error(`  ${name}: ${paths.join(', ')}`);
  process.exit(1);
}
console.log(`check-names: every top-level function name in src/ is declared in one file (${where.size} names)`);
