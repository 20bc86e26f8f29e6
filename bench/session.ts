// Opening a large session (10,000 events): the time from "open" to the finished Markdown
// document, as the extension does it (getSession, the events walk at 100 per page, the
// transcript, the render). The local API runs in its own process, so its CPU time is not
// counted; `renderMs` is the extension's own work on events already in memory.

import type { SessionEvent } from '../src/api';
import { SessionTranscript } from '../src/agentSessions/model/sessionTranscript';
import type { ApiProcess } from './api-process';
import { newClient } from './list-all';
import { gc, log, median } from './stats';

export interface SessionOpenResult {
  events: number;
  pages: number;
  openMs: number;
  renderMs: number;
  documentKb: number;
}

const HEADER = { title: 'bench · session', status: 'done', live: undefined, agent: 'agent (version 1)', environment: 'env', started: '—', duration: '—', credits: '0', sessionId: 'sess_bench' };

export async function measureSessionOpen(api: ApiProcess, n: number, runs: number): Promise<SessionOpenResult> {
  const sessionId = await api.largeSession(n);
  const client = newClient(api);
  const open: number[] = [];
  const render: number[] = [];
  let pages = 0;
  let events: SessionEvent[] = [];
  let documentKb = 0;
  for (let i = 0; i < runs; i++) {
    // what earlier steps left on the heap is collected first, as before each list-all walk
    gc();
    const t0 = performance.now();
    const session = await client.getSession(sessionId);
    const transcript = new SessionTranscript();
    const all: SessionEvent[] = [];
    pages = 0;
    for await (const page of client.listSessionEvents(sessionId)) {
      pages++;
      for (const ev of page.data) {
        transcript.add(ev);
        all.push(ev);
      }
    }
    const text = transcript.markdown({ ...HEADER, status: session.status });
    open.push(performance.now() - t0);
    documentKb = text.length / 1024;
    events = all;

    const t1 = performance.now();
    const again = new SessionTranscript();
    for (const ev of events) again.add(ev);
    again.markdown(HEADER);
    render.push(performance.now() - t1);
  }
  log(`session open: ${events.length} events in ${pages} pages, ${median(open).toFixed(0)} ms (render ${median(render).toFixed(0)} ms), document ${documentKb.toFixed(0)} KB`);
  return { events: events.length, pages, openMs: median(open), renderMs: median(render), documentKb };
}
