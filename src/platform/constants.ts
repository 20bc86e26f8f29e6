// Names shared by package.json, the code and the tests, in one place.

export const VIEW_ID = 'qoder.deployments';
export const DETAILS_SCHEME = 'qoder-deployment';
/** Deployment documents (edit, new, the server's copy for Compare). */
export const DEPLOYMENT_SCHEME = 'qoder';

export const Commands = {
  setToken: 'qoder.setToken',
  clearToken: 'qoder.clearToken',
  refresh: 'qoder.refresh',
  archive: 'qoder.archiveDeployment',
  pause: 'qoder.pauseDeployment',
  resume: 'qoder.resumeDeployment',
  run: 'qoder.runDeployment',
  copyId: 'qoder.copyDeploymentId',
  showDetails: 'qoder.showDeploymentDetails',
  showArchived: 'qoder.showArchived',
  hideArchived: 'qoder.hideArchived',
  showLog: 'qoder.showLog',
  loadMoreRuns: 'qoder.loadMoreRuns',
  showRunDetails: 'qoder.showRunDetails',
  copyAsCurl: 'qoder.copyAsCurl',
  filter: 'qoder.filter',
  editFilter: 'qoder.editFilter',
  clearFilter: 'qoder.clearFilter',
  switchRegion: 'qoder.switchRegion',
  retrySignIn: 'qoder.retrySignIn',
  editDeployment: 'qoder.editDeployment',
  createDeployment: 'qoder.createDeployment',
  duplicateDeployment: 'qoder.duplicateDeployment',
  openSession: 'qoder.openSession',
  openSessionMarkdown: 'qoder.openSessionMarkdown',
  cancelSession: 'qoder.cancelSession',
  saveSessionTranscript: 'qoder.saveSessionTranscript',
  copyRunId: 'qoder.copyRunId',
  showNeedsAttention: 'qoder.showNeedsAttention',
  setUpChatTools: 'qoder.setUpChatTools',
  allowToolUse: 'qoder.allowToolUse',
  denyToolUse: 'qoder.denyToolUse',
  sendMessage: 'qoder.sendMessage',
  interruptSession: 'qoder.interruptSession',
  openArtifact: 'qoder.openArtifact',
  saveArtifact: 'qoder.saveArtifact',
  reviewWaiting: 'qoder.reviewWaiting',
} as const;

/** Files a session delivered, opened read-only (`qoder-artifact:/<file name>?file=…`). */
export const ARTIFACT_SCHEME = 'qoder-artifact';

export const SESSION_SCHEME = 'qoder-session';

export const ContextKeys = {
  hasToken: 'qoder.hasToken',
  loadState: 'qoder.loadState',
  showArchived: 'qoder.showArchived',
  filterActive: 'qoder.filterActive',
  filterEmpty: 'qoder.filterEmpty',
  /** global | china | custom: which host the welcome view names. */
  region: 'qoder.region',
  /** Why the last sign-in or load failed (ProblemKind), '' when nothing failed. */
  problem: 'qoder.problem',
  /** The active editor shows a session that is running (its title bar offers Cancel Session). */
  activeSessionRunning: 'qoder.activeSessionRunning',
  /** The session report panel in front shows a running session / one waiting for a decision. */
  reportRunning: 'qoder.reportRunning',
  reportWaiting: 'qoder.reportWaiting',
  /** qoder.chat.tools is on: the language-model tools are offered. */
  chatTools: 'qoder.chatTools',
} as const;

export const Settings = {
  section: 'qoder',
  apiBaseUrl: 'apiBaseUrl',
  showArchived: 'showArchived',
  autoRefreshSeconds: 'autoRefreshSeconds',
  archiveConfirmation: 'archiveConfirmation',
  notifications: 'notifications',
  backgroundRefreshMinutes: 'backgroundRefreshMinutes',
  attentionStatusBar: 'attentionStatusBar',
  chatTools: 'chat.tools',
} as const;

export const Regions = [
  { id: 'global', baseUrl: 'https://api.qoder.com/api/v1/cloud' },
  { id: 'china', baseUrl: 'https://api.qoder.com.cn/api/v1/cloud' },
] as const;

export const DEFAULT_API_BASE_URL = 'https://api.qoder.com/api/v1/cloud';
