// Fault injection for the local API: a queue of FaultSpecs matched against each API
// request (route template + optional query), consumed in order.

export type FaultKind = 'status' | 'rate_limit' | 'html' | 'delay' | 'reset' | 'truncated' | 'wrong_shape';

export interface FaultSpec {
  /** "GET /deployments", "POST /deployments/:id/archive", "GET /deployments/:id/runs", a literal
   *  path ("GET /deployments/dep_…"), a method wildcard ("* /deployments/:id/pause") or "*". */
  route: string;
  kind: FaultKind;
  /** 'status': HTTP status of the error envelope; 'html': status of the HTML page (default 502). */
  status?: number;
  errorType?: string;
  message?: string;
  /** 'rate_limit': Retry-After seconds (header omitted when undefined). */
  retryAfter?: number;
  /** 'delay': wait this long, then answer normally (a huge value = hang). */
  delayMs?: number;
  /** How many matching requests it fires on (default 1; Infinity or -1 = always). */
  times?: number;
  /** Let this many matching requests pass first. */
  skip?: number;
  /** Only match when these query params have these values ('*' = present). */
  query?: Record<string, string>;
  /** 'wrong_shape': the JSON value to send instead of the default. */
  body?: unknown;
}

const KINDS = new Set<FaultKind>(['status', 'rate_limit', 'html', 'delay', 'reset', 'truncated', 'wrong_shape']);

export function validateFault(f: unknown): FaultSpec {
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new Error('fault must be an object');
  const spec = f as FaultSpec;
  if (typeof spec.route !== 'string' || spec.route === '') throw new Error('fault.route must be a string like "GET /deployments" or "*"');
  if (!KINDS.has(spec.kind)) throw new Error(`fault.kind must be one of ${[...KINDS].join(', ')}`);
  return spec;
}

export function errorTypeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 409:
      return 'conflict_error';
    case 429:
      return 'rate_limit_error';
    default:
      return 'api_error';
  }
}

interface Active {
  spec: FaultSpec;
  remaining: number;
  skip: number;
}

export class FaultQueue {
  private items: Active[] = [];

  add(spec: FaultSpec): void {
    validateFault(spec);
    const t = spec.times;
    const remaining = t === undefined ? 1 : t === -1 || t === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(t));
    if (remaining > 0) this.items.push({ spec, remaining, skip: Math.max(0, Math.floor(spec.skip ?? 0)) });
  }

  clear(): void {
    this.items = [];
  }

  get pending(): FaultSpec[] {
    return this.items.map((a) => a.spec);
  }

  /**
   * The fault to apply to this request, if any. The first queued fault that matches decides:
   * it either lets the request pass (still skipping) or fires (and is used up after `times`).
   */
  take(method: string, template: string, path: string, query: URLSearchParams): FaultSpec | null {
    for (let i = 0; i < this.items.length; i++) {
      const a = this.items[i] as Active;
      if (!matches(a.spec, method, template, path, query)) continue;
      if (a.skip > 0) {
        a.skip--;
        return null;
      }
      a.remaining--;
      if (a.remaining <= 0) this.items.splice(i, 1);
      return a.spec;
    }
    return null;
  }
}

function matches(spec: FaultSpec, method: string, template: string, path: string, query: URLSearchParams): boolean {
  const route = spec.route.trim();
  if (route !== '*') {
    const sp = route.indexOf(' ');
    const m = sp < 0 ? '*' : route.slice(0, sp).toUpperCase();
    let p = sp < 0 ? route : route.slice(sp + 1).trim();
    if (p.startsWith('/api/v1/cloud/')) p = p.slice('/api/v1/cloud'.length);
    if (m !== '*' && m !== method) return false;
    if (p !== '*' && p !== template && p !== path) return false;
  }
  if (spec.query) {
    for (const [k, v] of Object.entries(spec.query)) {
      const got = query.get(k);
      if (got === null) return false;
      if (v !== '*' && got !== v) return false;
    }
  }
  return true;
}
