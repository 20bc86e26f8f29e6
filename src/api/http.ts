// The HTTP client the API layer uses: API calls (requests.ts) and event streams (streams.ts)
// over one set of settings (httpCommon.ts). Knows nothing about deployments: see client.ts.

import { HttpContext } from './httpCommon';
import { runRequest, type HttpRequest, type HttpResult } from './requests';
import { openEventStream, type OpenStream, type StreamRequest } from './streams';

export { DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, defaultUserAgent, type RequestLogEntry, type HttpClientOptions } from './httpCommon';
export type { HttpRequest, HttpResult } from './requests';
export type { OpenStream, StreamRequest } from './streams';

export class HttpClient extends HttpContext {
  /** Run one API call: attempts, retries and redirects. Resolves with the parsed 2xx JSON body. */
  request(req: HttpRequest): Promise<HttpResult> {
    return runRequest(this, req);
  }

  /** Open an SSE response; see openEventStream. */
  openStream(req: StreamRequest): Promise<OpenStream> {
    return openEventStream(this, req);
  }
}
