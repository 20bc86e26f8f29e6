// The session report chunk (dist/report.js, with markdown-it): required the first time a
// session's report opens. l10n and the error classes come from the main bundle's kernel.

export { SessionReports } from './sessionReport';
