// Error types of the API (`environment_not_found_error`) in words: short for a row's
// description, whole for a sentence. Unknown types stay readable. Strings through @vscode/l10n.

import * as l10n from '@vscode/l10n';
import { redactSecrets } from './display';

/** Error type in a few words, for a row's description: `environment_not_found_error` → "environment not found". */
export function shortErrorTypeText(type: string): string {
  switch (type) {
    case 'environment_archived_error': return l10n.t('environment archived');
    case 'agent_archived_error': return l10n.t('agent archived');
    case 'environment_not_found_error': return l10n.t('environment not found');
    case 'vault_not_found_error': return l10n.t('vault not found');
    case 'vault_archived_error': return l10n.t('vault archived');
    case 'file_not_found_error': return l10n.t('file not found');
    case 'session_resource_not_found_error': return l10n.t('session resource not found');
    case 'workspace_archived_error': return l10n.t('workspace archived');
    case 'organization_disabled_error': return l10n.t('organization disabled');
    case 'memory_store_archived_error': return l10n.t('memory store archived');
    case 'skill_not_found_error': return l10n.t('skill not found');
    case 'self_hosted_resources_unsupported_error': return l10n.t('self-hosted resources unsupported');
    case 'mcp_egress_blocked_error': return l10n.t('MCP egress blocked');
    case 'session_rate_limited_error': return l10n.t('rate limited');
    case 'session_creation_rejected_error': return l10n.t('session creation rejected');
    case 'unknown_error': return l10n.t('unknown error');
    // Redacted first: with its underscores turned to spaces a token would no longer be recognised.
    default: return redactSecrets(type).replace(/_error$/, '').replace(/_/g, ' ').slice(0, 60);
  }
}

/** Error type such as `environment_archived_error` in words. Unknown types stay readable. */
export function errorTypeText(type: string): string {
  switch (type) {
    case 'environment_archived_error': return l10n.t('the environment was archived');
    case 'agent_archived_error': return l10n.t('the agent was archived');
    case 'environment_not_found_error': return l10n.t('the environment was not found');
    case 'vault_not_found_error': return l10n.t('a vault was not found');
    case 'vault_archived_error': return l10n.t('a vault was archived');
    case 'file_not_found_error': return l10n.t('a file was not found');
    case 'session_resource_not_found_error': return l10n.t('a session resource was not found');
    case 'workspace_archived_error': return l10n.t('the workspace was archived');
    case 'organization_disabled_error': return l10n.t('the organization is disabled');
    case 'memory_store_archived_error': return l10n.t('a memory store was archived');
    case 'skill_not_found_error': return l10n.t('a skill was not found');
    case 'self_hosted_resources_unsupported_error': return l10n.t('self-hosted resources are not supported');
    case 'mcp_egress_blocked_error': return l10n.t('MCP network egress was blocked');
    case 'session_rate_limited_error': return l10n.t('session creation was rate limited');
    case 'session_creation_rejected_error': return l10n.t('session creation was rejected');
    case 'unknown_error': return l10n.t('an unknown error');
    default: return redactSecrets(type).replace(/_error$/, '').replace(/_/g, ' ');
  }
}

/**
 * What fixes a failure of this type: the deployment's configuration (its environment, agent,
 * skills, vaults: Edit Deployment), the account (nothing in the deployment helps), or nothing
 * (a transient or unknown error: running again can help).
 */
export function errorCause(type: string): 'configuration' | 'account' | 'transient' {
  switch (type) {
    case 'environment_archived_error':
    case 'agent_archived_error':
    case 'environment_not_found_error':
    case 'vault_not_found_error':
    case 'vault_archived_error':
    case 'file_not_found_error':
    case 'session_resource_not_found_error':
    case 'memory_store_archived_error':
    case 'skill_not_found_error':
    case 'self_hosted_resources_unsupported_error':
    case 'mcp_egress_blocked_error':
      return 'configuration';
    case 'organization_disabled_error':
    case 'workspace_archived_error':
      return 'account';
    default:
      return 'transient';
  }
}
