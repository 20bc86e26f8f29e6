// The interaction chunk (dist/interaction.js): required the first time a run is checked for a
// pending decision or an interaction command runs. l10n, redaction and the error classes come
// from the main bundle's kernel (src/platform/kernel.ts); the API client is handed over.

export { Interaction, isTextFile, type InteractionDeps, type SessionTarget } from './interaction';
export { InteractionUi, type InteractionUiDeps } from './interactionUi';
