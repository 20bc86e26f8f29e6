// Chromium (Debian's /usr/bin/chromium) driven by playwright-core from the e2e cache.
// playwright-core is not a project dependency, so it is loaded at run time from .cache/e2e/pw
// and typed here with the small subset of its API the harness uses.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isolatedEnv, PATHS, type RunDir } from './paths';
import { log, onCleanup, trackMarker } from './procs';

type Text = string | RegExp;
interface TimeoutOpt {
  timeout?: number;
}

export interface Locator {
  click(opts?: TimeoutOpt & { button?: 'left' | 'right' | 'middle'; force?: boolean; clickCount?: number }): Promise<void>;
  dblclick(opts?: TimeoutOpt): Promise<void>;
  hover(opts?: TimeoutOpt): Promise<void>;
  fill(value: string, opts?: TimeoutOpt): Promise<void>;
  press(key: string, opts?: TimeoutOpt): Promise<void>;
  waitFor(opts?: TimeoutOpt & { state?: 'attached' | 'detached' | 'visible' | 'hidden' }): Promise<void>;
  isVisible(): Promise<boolean>;
  count(): Promise<number>;
  textContent(opts?: TimeoutOpt): Promise<string | null>;
  innerText(opts?: TimeoutOpt): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  getAttribute(name: string, opts?: TimeoutOpt): Promise<string | null>;
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  locator(selector: string, opts?: { hasText?: Text }): Locator;
  filter(opts: { hasText?: Text; hasNotText?: Text; has?: Locator; hasNot?: Locator }): Locator;
  getByRole(role: string, opts?: { name?: Text; exact?: boolean }): Locator;
  getByText(text: Text, opts?: { exact?: boolean }): Locator;
  screenshot(opts: { path: string }): Promise<unknown>;
  boundingBox(opts?: TimeoutOpt): Promise<Box | null>;
  dispatchEvent(type: string, init?: Record<string, unknown>, opts?: TimeoutOpt): Promise<void>;
}

/** The frames of a webview (`iframe.webview` → its inner `iframe`): what a panel's page shows. */
export interface FrameLocator {
  locator(selector: string, opts?: { hasText?: Text }): Locator;
  frameLocator(selector: string): FrameLocator;
  getByRole(role: string, opts?: { name?: Text; exact?: boolean }): Locator;
  first(): FrameLocator;
  last(): FrameLocator;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ConsoleMessage {
  type(): string;
  text(): string;
}

export interface Page {
  goto(url: string, opts?: TimeoutOpt & { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit' }): Promise<unknown>;
  reload(opts?: TimeoutOpt): Promise<unknown>;
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  screenshot(opts: { path: string; fullPage?: boolean; clip?: Box }): Promise<unknown>;
  mouse: { move(x: number, y: number, opts?: { steps?: number }): Promise<void>; down(): Promise<void>; up(): Promise<void> };
  viewportSize(): { width: number; height: number } | null;
  locator(selector: string, opts?: { hasText?: Text }): Locator;
  frameLocator(selector: string): FrameLocator;
  getByRole(role: string, opts?: { name?: Text; exact?: boolean }): Locator;
  getByText(text: Text, opts?: { exact?: boolean }): Locator;
  waitForTimeout(ms: number): Promise<void>;
  keyboard: { press(key: string): Promise<void>; type(text: string, opts?: { delay?: number }): Promise<void>; insertText(text: string): Promise<void> };
  on(event: 'console', fn: (msg: ConsoleMessage) => void): void;
  on(event: 'pageerror', fn: (err: Error) => void): void;
  on(event: 'close' | 'crash', fn: () => void): void;
  url(): string;
  setContent(html: string): Promise<void>;
  context(): BrowserContext;
  close(): Promise<void>;
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface PlaywrightCore {
  chromium: {
    launchPersistentContext(
      userDataDir: string,
      opts: {
        executablePath: string;
        headless: boolean;
        chromiumSandbox: boolean;
        args: string[];
        env: NodeJS.ProcessEnv;
        viewport: { width: number; height: number };
        handleSIGINT: boolean;
        handleSIGTERM: boolean;
        handleSIGHUP: boolean;
        timeout: number;
      },
    ): Promise<BrowserContext>;
  };
}

export function loadPlaywright(): PlaywrightCore {
  const req = createRequire(join(PATHS.pwModule, 'package.json'));
  return req(PATHS.pwModule) as PlaywrightCore;
}

/** Flags known to work on offline Debian machines with 2 CPUs (see test/e2e/README.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Launch headless Chromium with a fresh profile in the run dir; closed automatically at cleanup. */
export async function launchChromium(dir: RunDir, opts: { headless?: boolean } = {}): Promise<Browser> {
  const pw = loadPlaywright();
  trackMarker(dir.browserProfile);
  const started = Date.now();
  const context = await pw.chromium.launchPersistentContext(dir.browserProfile, {
    executablePath: PATHS.chromium,
    headless: opts.headless ?? !process.env.QODER_E2E_HEADED,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS,
    env: isolatedEnv(dir),
    viewport: { width: 1400, height: 900 },
    // the process registry handles signals and kills the browser's process group
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
  };
  onCleanup(close);
  const page = context.pages()[0] ?? (await context.newPage());
  log(`chromium up in ${Date.now() - started} ms`);
  return { context, page, close };
}
