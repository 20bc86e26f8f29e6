// Files of the local Qoder API (interaction-and-files.md §4): File objects scoped to sessions,
// `GET /files/{id}/content` as a time-limited link (200 JSON, or 302 with the same body and a
// Location) to a loopback storage route, and that storage route. The storage route refuses any
// request that carries an Authorization header (a presigned URL needs none, and our token must
// never reach a storage host) and records every request so tests can assert that.

import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError, isoSeconds, makeId, notFound } from './util';

export interface FileRec {
  id: string;
  filename: string;
  mime: string;
  bytes: Buffer;
  sessionId: string;
  createdMs: number;
  downloadable: boolean;
}

export interface StorageRequest {
  path: string;
  query: Record<string, string>;
  /** The Authorization header exactly as received (undefined when absent: the only accepted case). */
  authorization: string | undefined;
  cookie: string | undefined;
  status: number;
}

export interface FileLinkOptions {
  /** How `/content` answers: '200' (JSON, the current docs) or '302' (Location + the same JSON, [old]). */
  mode: '200' | '302';
  /** Lifetime of a link (default one hour). */
  ttlMs: number;
  /** The next n links are minted already expired (to test minting again). */
  expireNext: number;
}

export const STORAGE_PREFIX = '/__storage/files/';

export class FileStore {
  private readonly files = new Map<string, FileRec>();
  private readonly secret = randomBytes(16);
  readonly storageRequests: StorageRequest[] = [];
  links: FileLinkOptions = { mode: '200', ttlMs: 3_600_000, expireNext: 0 };

  clear(): void {
    this.files.clear();
  }

  add(rec: FileRec): void {
    this.files.set(rec.id, rec);
  }

  get(id: string): FileRec {
    const f = this.files.get(id);
    if (!f) throw notFound(`File ${id} not found.`);
    return f;
  }

  json(f: FileRec): Record<string, unknown> {
    return {
      created_at: isoSeconds(f.createdMs),
      downloadable: f.downloadable,
      filename: f.filename,
      id: f.id,
      metadata: {},
      mime_type: f.mime,
      scope: { id: f.sessionId, type: 'session' },
      size_bytes: f.bytes.byteLength,
      type: 'file',
    };
  }

  /** Files of a scope (or all), newest first. */
  list(scopeId: string | undefined): FileRec[] {
    const all = [...this.files.values()].filter((f) => scopeId === undefined || f.sessionId === scopeId);
    return all.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  private sign(id: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${id}:${expires}`).digest('hex').slice(0, 32);
  }

  /** `GET /files/{id}/content`: the link (403 when the file is not downloadable). */
  contentLink(id: string, origin: string, nowMs: number): { status: number; body: string; headers: Record<string, string> } {
    const f = this.get(id);
    if (!f.downloadable) throw new ApiError(403, 'permission_error', 'This file is not downloadable.');
    let expires = nowMs + this.links.ttlMs;
    if (this.links.expireNext > 0) {
      this.links.expireNext--;
      expires = nowMs - 1000;
    }
    const url = `${origin}${STORAGE_PREFIX}${encodeURIComponent(f.id)}?expires=${expires}&signature=${this.sign(f.id, expires)}`;
    const body = JSON.stringify({ expires_at: isoSeconds(expires), url });
    return this.links.mode === '302' ? { status: 302, body, headers: { location: url } } : { status: 200, body, headers: {} };
  }

  /** The storage route: the bytes for a valid, unexpired signature and no Authorization header. */
  storage(req: IncomingMessage, path: string, query: URLSearchParams, nowMs: number): { status: number; body: Buffer | string; headers: Record<string, string> } {
    const rec: StorageRequest = {
      path,
      query: Object.fromEntries(query),
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      status: 0,
    };
    this.storageRequests.push(rec);
    const answer = (status: number, message: string): { status: number; body: string; headers: Record<string, string> } => {
      rec.status = status;
      return { status, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${status === 400 ? 'InvalidArgument' : 'AccessDenied'}</Code><Message>${message}</Message></Error>\n`, headers: { 'content-type': 'application/xml' } };
    };
    if (req.headers.authorization !== undefined) return answer(400, 'Only one auth mechanism allowed; a signed URL takes no Authorization header.');
    let id: string;
    try {
      id = decodeURIComponent(path.slice(STORAGE_PREFIX.length));
    } catch {
      return answer(404, 'No such key.');
    }
    const f = this.files.get(id);
    const expires = Number(query.get('expires'));
    if (!f || !Number.isFinite(expires) || query.get('signature') !== this.sign(id, expires)) return answer(403, 'Signature does not match.');
    if (nowMs > expires) return answer(403, 'Request has expired.');
    rec.status = 200;
    return {
      status: 200,
      body: f.bytes,
      headers: { 'content-type': f.mime, 'content-disposition': `attachment; filename="${f.filename.replace(/[^\w.-]/g, '_')}"` },
    };
  }
}

/** A small valid PNG (a 2×2 image), for a binary artifact. */
export const SAMPLE_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000002000000020806000000f278d4fa0000001649444154789c63f8cf00c47f19fe33fc6760f8cf0000390a05fb5bd1a5b50000000049454e44ae426082',
  'hex',
);

export function fileId(ms: number, rand: (() => number) | null, seq: number): string {
  return makeId('file_', ms, rand, seq);
}
