// The local API's MCP endpoint: Streamable HTTP at /api/v1/mcp/servers/qca on the same origin,
// with the same Bearer token check, serving the hosted QCA server's tool names and argument
// shapes (mcp.md §5) for the subset the local API can back: deployments, their lifecycle, runs,
// sessions and their events. Built on the official SDK's Server and Streamable HTTP transport,
// stateless (one server per request), JSON answers. Each tool answers like the hosted Managed
// layer: a detail under `item`, a list as `items` plus cursors; an API error is an `isError` result.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';

export { MCP_PATH } from './server';

/** One HTTP API call the tool maps to: a route of server.ts and its query. */
export interface ApiCall {
  route: { name: string; template: string; id?: string; runId?: string };
  query: URLSearchParams;
}

const id = (prefix: string, what: string) => ({ type: 'string', pattern: `^${prefix}_[A-Za-z0-9]+$`, description: what });
const str = (description: string) => ({ type: 'string', description });
const limit = { type: 'integer', minimum: 1, maximum: 100, description: 'Page size (1–100).' };
const bool = (description: string) => ({ type: 'boolean', description });
const READ = { readOnlyHint: true };
const WRITE = { readOnlyHint: false, destructiveHint: false };

/** The hosted catalog's names, required and optional arguments, for the tools backed here. */
export const TOOLS: Tool[] = [
  { name: 'list_deployments', description: 'List deployments, newest first.', annotations: READ, inputSchema: { type: 'object', properties: { limit, after_id: str('Cursor: after this deployment id.'), before_id: str('Cursor: before this deployment id.'), include_archived: bool('Include archived deployments.'), status: { type: 'string', enum: ['active', 'paused'] }, agent_id: str('Only this agent.'), created_at_gte: str('RFC 3339.'), created_at_lte: str('RFC 3339.') } } },
  { name: 'get_deployment', description: 'Get one deployment, with its schedule and upcoming run times.', annotations: READ, inputSchema: { type: 'object', properties: { deployment_id: id('dep', 'The deployment id.') }, required: ['deployment_id'] } },
  { name: 'pause_deployment', description: 'Pause a deployment: its schedule stops firing.', annotations: WRITE, inputSchema: { type: 'object', properties: { deployment_id: id('dep', 'The deployment id.') }, required: ['deployment_id'] } },
  { name: 'unpause_deployment', description: 'Resume a paused deployment.', annotations: WRITE, inputSchema: { type: 'object', properties: { deployment_id: id('dep', 'The deployment id.') }, required: ['deployment_id'] } },
  { name: 'run_deployment', description: 'Start one real run now (consumes credits); returns item.id, the run.', annotations: WRITE, inputSchema: { type: 'object', properties: { deployment_id: id('dep', 'The deployment id.') }, required: ['deployment_id'] } },
  { name: 'archive_deployment', description: 'Archive a deployment: its runs stop; verify archived_at.', annotations: { readOnlyHint: false, destructiveHint: true }, inputSchema: { type: 'object', properties: { deployment_id: id('dep', 'The deployment id.') }, required: ['deployment_id'] } },
  { name: 'list_deployment_runs', description: 'List runs across deployments, newest first.', annotations: READ, inputSchema: { type: 'object', properties: { deployment_id: id('dep', 'Only this deployment.'), limit, after_id: str('Cursor.'), before_id: str('Cursor.'), has_error: bool('Only runs with (or without) an error.'), trigger_type: { type: 'string', enum: ['manual', 'schedule'] }, created_at_gt: str('RFC 3339.'), created_at_gte: str('RFC 3339.'), created_at_lt: str('RFC 3339.'), created_at_lte: str('RFC 3339.') } } },
  { name: 'get_deployment_run', description: 'Get one run. Pass only run_id; read item.session_id and item.error.', annotations: READ, inputSchema: { type: 'object', properties: { run_id: id('drun', 'The run id.') }, required: ['run_id'] } },
  { name: 'get_session', description: 'Get a session: status, usage.', annotations: READ, inputSchema: { type: 'object', properties: { session_id: id('sess', 'The session id.') }, required: ['session_id'] } },
  { name: 'list_session_events', description: 'List a session\'s events with their payloads, oldest first.', annotations: READ, inputSchema: { type: 'object', properties: { session_id: id('sess', 'The session id.'), limit, after_id: str('Cursor: after this event id.') }, required: ['session_id'] } },
];

const QUERY_NAMES: Record<string, string> = {
  created_at_gt: 'created_at[gt]',
  created_at_gte: 'created_at[gte]',
  created_at_lt: 'created_at[lt]',
  created_at_lte: 'created_at[lte]',
};

export class ToolArgumentError extends Error {}

/** The HTTP route and query a tool call maps to (the flat MCP names become the HTTP ones). */
export function apiCallOf(name: string, args: Record<string, unknown>): ApiCall {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) throw new ToolArgumentError(`Unknown tool: ${name}`);
  const schema = tool.inputSchema as { properties?: Record<string, { type?: string }>; required?: string[] };
  for (const key of schema.required ?? []) if (typeof args[key] !== 'string' || args[key] === '') throw new ToolArgumentError(`Missing required argument: ${key}`);
  for (const key of Object.keys(args)) if (!schema.properties?.[key]) throw new ToolArgumentError(`Unknown argument: ${key}`);
  const query = new URLSearchParams();
  const take = (...keys: string[]) => {
    for (const key of keys) if (args[key] !== undefined && args[key] !== null) query.set(QUERY_NAMES[key] ?? key, String(args[key]));
  };
  const dep = args.deployment_id as string | undefined;
  switch (name) {
    case 'list_deployments':
      take('limit', 'after_id', 'before_id', 'include_archived', 'status', 'agent_id', 'created_at_gte', 'created_at_lte');
      return { route: { name: 'list', template: 'GET /deployments' }, query };
    case 'get_deployment':
      return { route: { name: 'get', template: 'GET /deployments/:id', id: dep }, query };
    case 'pause_deployment':
    case 'unpause_deployment':
    case 'archive_deployment':
    case 'run_deployment': {
      const verb = name.replace(/_deployment$/, '');
      return { route: { name: verb, template: `POST /deployments/:id/${verb}`, id: dep }, query };
    }
    case 'list_deployment_runs':
      take('deployment_id', 'limit', 'after_id', 'before_id', 'has_error', 'trigger_type', 'created_at_gt', 'created_at_gte', 'created_at_lt', 'created_at_lte');
      return { route: { name: 'allRuns', template: 'GET /deployment_runs' }, query };
    case 'get_deployment_run':
      return { route: { name: 'globalRun', template: 'GET /deployment_runs/:run_id', runId: args.run_id as string }, query };
    case 'get_session':
      return { route: { name: 'session', template: 'GET /sessions/:id', id: args.session_id as string }, query };
    default:
      take('limit', 'after_id');
      return { route: { name: 'sessionEvents', template: 'GET /sessions/:id/events', id: args.session_id as string }, query };
  }
}

/** The HTTP answer as the Managed MCP layer shapes it: `item` for one object, `items` + cursors for a page. */
export function toolResult(status: number, body: string): CallToolResult {
  const json = JSON.parse(body) as Record<string, unknown>;
  if (status >= 400) {
    const error = (json.error ?? {}) as { type?: string; message?: string };
    return { isError: true, content: [{ type: 'text', text: `${status} ${error.type ?? 'error'}: ${error.message ?? ''}` }] };
  }
  const shaped = Array.isArray(json.data)
    ? { items: json.data, has_more: json.has_more ?? false, last_id: json.last_id ?? null, next_page: json.next_page ?? null }
    : { item: json };
  return { content: [{ type: 'text', text: JSON.stringify(shaped) }], structuredContent: shaped };
}

/** Answers one Streamable HTTP request (the caller has checked the token). */
export async function serveMcp(req: IncomingMessage, res: ServerResponse, body: unknown, call: (name: string, args: Record<string, unknown>) => CallToolResult): Promise<void> {
  const server = new Server({ name: 'qoder-cloud-agents-local', version: '0.6.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, (request) => call(request.params.name, (request.params.arguments ?? {}) as Record<string, unknown>));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
