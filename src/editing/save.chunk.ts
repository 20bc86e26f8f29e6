// The save flow of deployment documents (dist/save.js): validation, Create, the three-way merge
// and the conflict question. Required on the first Save, so opening a document does not load it.
// It takes l10n, redaction and the error classes from the main bundle (src/platform/kernel.ts).

export { SaveFlow } from './saveFlow';
