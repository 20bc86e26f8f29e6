// The words and pictures of run states, run rows and failure streaks: required on first use (the
// first run row, the first run history counted), built as dist/runs.js.

export { factsOfEvent, isFailure, isLive, isOver, runState, sessionState, stateIcon, stateText } from './model/runState';
export { runRowText } from './model/runRow';
export { healthOf, sameHealth, sessionsToAsk } from './model/streak';
export { pickRun } from './pickRun';
export { stopRun } from './stopRun';
export { openFailedRun } from './openFailedRun';
