// Talking back to a session and taking what it produced (interaction-and-files.md), on top of a
// QoderClient: send events, list sessions and a session's newest events, files and their
// download. Kept out of client.ts so the main bundle does not carry it: the interaction chunk
// (dist/interaction.js) builds one of these when a command or a waiting run first needs it.

import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { QoderApiError, QoderError } from './errors';
import { checkLimit, checkString, RUNS_PAGE_SIZE, WALK_PAGE_SIZE, type QoderClient } from './client';
import { parseListPage } from './parse';
import { parseSession, parseSessionEvent, sessionPath, type Session, type SessionEvent } from './sessions';
import { isObj } from './util';
import { fetchWithoutToken, type PlainDownload, type PlainDownloadOptions } from './download';
import {
  checkOutgoing,
  filePath,
  parseContentLink,
  parseFile,
  type FileContentLink,
  type OutgoingEvent,
  type QoderFile,
  type SessionEventsPageFilter,
  type SessionListFilter,
} from './interaction';
import type { ListPage, RequestOptions } from './types';

const STATUSES = ['running', 'idle', 'rescheduling', 'terminated'];

export class SessionActions {
  constructor(readonly client: QoderClient) {}

  /**
   * `POST /sessions/{id}/events` with `{"events": [...]}` → the accepted events (any 2xx; 202
   * documented). Never retried after a timeout, a network failure or a 5xx (the POST may have
   * been processed): the caller looks in the events first (§2.5). An `Idempotency-Key` goes along.
   */
  async sendSessionEvents(id: string, events: readonly OutgoingEvent[], opts?: RequestOptions & { idempotencyKey?: string }): Promise<SessionEvent[]> {
    const path = `${sessionPath(id)}/events`;
    checkOutgoing(events);
    const headers = { 'Idempotency-Key': opts?.idempotencyKey ?? randomUUID() };
    return this.client.call({ method: 'POST', path, body: { events }, headers, signal: opts?.signal }, (json) => {
      const data = isObj(json) && Array.isArray(json.data) ? json.data : [];
      return data.map(parseSessionEvent);
    });
  }

  /** One page of a session's events: newest first and only some types when asked (§2.5, §3.2). */
  async listSessionEventsPage(id: string, filter: SessionEventsPageFilter = {}, opts?: RequestOptions): Promise<ListPage<SessionEvent>> {
    const path = `${sessionPath(id)}/events`;
    const query = new URLSearchParams();
    query.set('limit', String(checkLimit(filter.limit, RUNS_PAGE_SIZE)));
    if (filter.order !== undefined) query.set('order', filter.order === 'desc' ? 'desc' : 'asc');
    for (const t of filter.types ?? []) query.append('types', checkString('types', t));
    if (filter.created_at_gte !== undefined) query.set('created_at[gte]', checkString('created_at_gte', filter.created_at_gte));
    return this.client.call({ method: 'GET', path, query, signal: opts?.signal }, (json) => parseListPage(json, parseSessionEvent));
  }

  /** Walk `GET /sessions` (limit 100 unless given) with the documented filters (§6). */
  listSessions(filter: SessionListFilter = {}, opts?: RequestOptions): AsyncGenerator<ListPage<Session>, void, undefined> {
    const query = new URLSearchParams();
    query.set('limit', String(checkLimit(filter.limit, WALK_PAGE_SIZE)));
    if (filter.order !== undefined) query.set('order', filter.order === 'asc' ? 'asc' : 'desc');
    if (filter.include_archived === true) query.set('include_archived', 'true');
    if (filter.status !== undefined) {
      if (!STATUSES.includes(filter.status)) {
        throw new QoderError('config', l10n.t('Filter "statuses" must be running, idle, rescheduling or terminated, got {0}.', JSON.stringify(filter.status)));
      }
      query.set('statuses', filter.status);
    }
    if (filter.deployment_id !== undefined) query.set('deployment_id', checkString('deployment_id', filter.deployment_id));
    if (filter.agent_id !== undefined) query.set('agent_id', checkString('agent_id', filter.agent_id));
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const v = filter[`created_at_${op}`];
      if (v !== undefined) query.set(`created_at[${op}]`, checkString(`created_at_${op}`, v));
    }
    return this.client.pages('/sessions', query, parseSession, opts);
  }

  /** Every file of a scope (a session): `GET /files?scope_id=…&limit=100`, all pages, deduplicated (§4.3). */
  async listFiles(scopeId: string, opts?: RequestOptions): Promise<QoderFile[]> {
    const query = new URLSearchParams({ scope_id: checkString('scope_id', scopeId), limit: String(WALK_PAGE_SIZE) });
    const seen = new Map<string, QoderFile>();
    for await (const page of this.client.pages('/files', query, parseFile, opts)) {
      for (const f of page.data) if (!seen.has(f.id)) seen.set(f.id, f);
    }
    return [...seen.values()];
  }

  getFile(id: string, opts?: RequestOptions): Promise<QoderFile> {
    return this.client.call({ method: 'GET', path: filePath(id), signal: opts?.signal }, parseFile);
  }

  /** `GET /files/{id}/content` → the time-limited link, from a 200 body or a 302 (never followed: §4.5). */
  async getFileContentLink(id: string, opts?: RequestOptions): Promise<FileContentLink> {
    const path = `${filePath(id)}/content`;
    const res = await this.client.transport.request({ method: 'GET', path, keepRedirect: true, signal: opts?.signal });
    return this.client.parsed(res, (json) => parseContentLink(json, res.status, res.location));
  }

  /**
   * A file's bytes: mint a link, fetch it WITHOUT our token; a 403 from storage (the link
   * expired) mints one new link and tries once more.
   */
  async downloadFile(id: string, opts: PlainDownloadOptions = {}): Promise<PlainDownload & { link: FileContentLink }> {
    let link = await this.getFileContentLink(id, { signal: opts.signal });
    try {
      return { ...(await fetchWithoutToken(this.client.transport, link.url, opts)), link };
    } catch (e) {
      if (!(e instanceof QoderApiError && e.status === 403)) throw e;
    }
    link = await this.getFileContentLink(id, { signal: opts.signal });
    return { ...(await fetchWithoutToken(this.client.transport, link.url, opts)), link };
  }
}
