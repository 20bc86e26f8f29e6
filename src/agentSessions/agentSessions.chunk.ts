// The session document chunk (dist/sessions.js): required the first time a session is opened.
// It takes l10n, redaction and the error classes from the main bundle (src/platform/kernel.ts).

export { SessionDocuments } from './sessionDocument';
