// Where Qoder's hosted MCP server lives for the configured API base URL (mcp.md §1). The two
// regions have fixed hosts (the China MCP host is mcp.qoder.cn, not …qoder.com.cn); any other
// base URL (the local API, a proxy) serves MCP at the same path on its own origin, so the token
// never goes to a host the user did not configure. Pure: no vscode import.

import { validateBaseUrl } from '../../api/validate';
import { Regions } from '../../platform/constants';

export const MCP_PATH = '/api/v1/mcp/servers/qca';
/** The hosted server's published metadata version (server.json); a change makes the editor re-list tools. */
export const MCP_SERVER_VERSION = '0.6.0';
/** The id of contributes.mcpServerDefinitionProviders in package.json. */
export const MCP_PROVIDER_ID = 'qoder.cloudAgents';

export type McpRegion = 'global' | 'china' | 'custom';

export interface McpEndpoint {
  region: McpRegion;
  url: string;
  /** The server's name in a config file; each region its own, so both can be connected. */
  name: string;
}

const HOSTED: Record<'global' | 'china', string> = {
  global: `https://mcp.qoder.com${MCP_PATH}`,
  china: `https://mcp.qoder.cn${MCP_PATH}`,
};

/** The MCP endpoint of a base URL, or undefined when the base URL is not one a token may go to. */
export function mcpEndpoint(apiBaseUrl: string): McpEndpoint | undefined {
  const trimmed = apiBaseUrl.trim().replace(/\/+$/, '');
  const region = Regions.find((r) => r.baseUrl === trimmed)?.id;
  if (region) return { region, url: HOSTED[region], name: region === 'china' ? 'qca-cn' : 'qca' };
  let origin: string;
  try {
    origin = validateBaseUrl(trimmed).origin;
  } catch {
    return undefined; // the same rules as the API client: no token over plain http off loopback
  }
  return { region: 'custom', url: origin + MCP_PATH, name: 'qca-custom' };
}

/** The Authorization header value for a raw PAT (stored without "Bearer"; mcp.md §3). */
export function bearer(token: string): string {
  return `Bearer ${token.replace(/^Bearer\s+/i, '')}`;
}
