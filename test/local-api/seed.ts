// Deterministic, realistic seed data: same (n, salt, now) → same deployments.
// Runs are not generated here: each deployment gets a RunPlan and its history is
// generated on first access (see model.generateRuns), so 50k deployments seed fast.

import { pastFires } from './cron';
import { PAUSE_REASONS, schedRunFailed, manualRunFailed, type DepRecord, type RunPlan } from './model';
import { hash32, intBetween, isoSeconds, makeId, pick, prng, type Rand } from './util';

interface Job {
  name: string;
  description: string;
  prompt: string;
  crons: string[];
}

const JOBS: Job[] = [
  { name: 'issue-triage-weekdays', description: 'Weekday morning triage of newly opened GitHub issues', prompt: 'Triage the issues opened since the previous run and post a summary to the tracking issue.', crons: ['30 8 * * 1-5', '0 9 * * 1-5'] },
  { name: 'nightly-dependency-audit', description: 'Nightly audit of outdated and vulnerable dependencies', prompt: 'List outdated dependencies and open one PR per major upgrade.', crons: ['0 2 * * *', '30 1 * * *'] },
  { name: 'weekly-security-digest', description: 'Weekly digest of new security advisories', prompt: 'Summarize security advisories published this week for our dependencies.', crons: ['0 9 * * 1'] },
  { name: 'daily-changelog-draft', description: 'Daily changelog draft from merged pull requests', prompt: "Draft a changelog entry from yesterday's merged pull requests.", crons: ['0 18 * * *', '0 18 * * 1-5'] },
  { name: 'stale-pr-sweeper', description: 'Pings authors of pull requests idle for more than a week', prompt: 'Find pull requests without activity for 7 days and leave a friendly reminder.', crons: ['0 10 * * 1-5', '15 10 * * 1,3,5'] },
  { name: 'flaky-test-hunter', description: 'Finds tests that flip between pass and fail on main', prompt: 'Analyse the last 50 CI runs on main and report flaky tests with evidence.', crons: ['0 */6 * * *', '0 3 * * *'] },
  { name: 'docs-link-checker', description: 'Checks documentation for broken links', prompt: 'Crawl the docs site and open an issue listing broken links.', crons: ['0 4 * * 6', '0 22 * * 0'] },
  { name: 'license-compliance-scan', description: 'Monthly license compliance report', prompt: 'Produce a license report for all production dependencies and flag copyleft licenses.', crons: ['0 6 1 * *', '30 1 15 * *'] },
  { name: 'perf-regression-watch', description: 'Watches benchmark results for regressions', prompt: 'Compare the latest benchmark run with the 7-day baseline and report regressions over 5%.', crons: ['0 * * * *', '0 */2 * * *'] },
  { name: 'i18n-string-sync', description: 'Syncs new UI strings to the translation platform', prompt: 'Extract new UI strings and open a PR updating the translation catalogs.', crons: ['*/30 9-18 * * 1-5', '0 12 * * *'] },
  { name: 'on-call-handoff-summary', description: 'Summarises incidents for the on-call handoff', prompt: 'Summarize incidents and alerts from the past on-call shift for the handoff channel.', crons: ['45 17 * * 5', '0 9 * * 1'] },
  { name: 'ci-failure-digest', description: 'Groups CI failures on main by root cause', prompt: 'Group the CI failures on main since the last run by probable root cause.', crons: ['*/15 * * * *', '0 * * * *'] },
  { name: 'api-contract-check', description: 'Checks the public API against the published OpenAPI spec', prompt: 'Diff the OpenAPI spec against the deployed API and report breaking changes.', crons: ['0 7 * * 1-5'] },
  { name: 'terraform-drift-check', description: 'Detects drift between Terraform state and cloud resources', prompt: 'Run a plan against every workspace and report drift.', crons: ['0 5 * * *', '0 */6 * * *'] },
  { name: 'sbom-refresh', description: 'Regenerates the software bill of materials', prompt: 'Regenerate the SBOM for each release branch and attach it to the release.', crons: ['0 3 * * 6'] },
  { name: 'coverage-trend-report', description: 'Weekly test coverage trend', prompt: 'Report the coverage trend for the past week per package.', crons: ['0 8 * * 1'] },
  { name: 'k8s-manifest-lint', description: 'Lints Kubernetes manifests on main', prompt: 'Lint all Kubernetes manifests and open a PR fixing deprecated API versions.', crons: ['0 1 * * *'] },
  { name: 'customer-feedback-digest', description: 'Digest of customer feedback tickets', prompt: 'Summarize new customer feedback tickets and tag recurring themes.', crons: ['0 16 * * 1-5', '0 9 * * 1'] },
  { name: 'release-notes-on-demand', description: 'On-demand release-notes generator, triggered from CI', prompt: 'Generate release notes for the most recent tag.', crons: [] },
  { name: 'hotfix-backport', description: 'Backports a merged hotfix to supported release branches', prompt: 'Cherry-pick the referenced hotfix onto every supported release branch and open PRs.', crons: [] },
  { name: 'weekly-metrics-rollup', description: 'Rolls up product metrics for the weekly review', prompt: 'Compile the weekly product metrics into the review document.', crons: ['0 22 * * 0', '0 6 * * 1'] },
  { name: 'migration-readiness-report', description: 'Tracks readiness of services for the platform migration', prompt: 'Check each service against the migration checklist and update the tracker.', crons: ['0 10 * * 2,4'] },
  { name: '每日构建巡检', description: '每日检查主干构建状态并汇总失败原因', prompt: '检查昨天主干上的所有构建，汇总失败原因并在群里通报。', crons: ['30 8 * * 1-5', '0 9 * * *'] },
  { name: '周报生成', description: '根据本周合并的 PR 自动生成团队周报', prompt: '根据本周合并的 PR 和关闭的 issue 生成团队周报草稿。', crons: ['0 17 * * 5', '0 22 * * 0'] },
  { name: '依赖安全扫描', description: '扫描依赖中的已知漏洞', prompt: '扫描所有仓库依赖中的已知漏洞并按严重程度排序。', crons: ['0 2 * * *'] },
  { name: '夜间回归测试', description: '夜间运行完整回归测试并汇报结果', prompt: '运行完整回归测试套件，失败时附上日志摘要。', crons: ['0 1 * * *', '30 23 * * *'] },
  { name: '代码评审提醒', description: '提醒超过两天未评审的合并请求', prompt: '找出超过两天未评审的合并请求并提醒评审人。', crons: ['0 10 * * 1-5'] },
  { name: '发布说明草稿', description: '按需生成发布说明草稿', prompt: '为最新的标签生成发布说明草稿。', crons: [] },
];

const TEAMS = ['web', 'mobile', 'payments', 'infra', 'data-platform', 'search', 'growth', 'billing', 'identity', 'devex'];
const OWNERS = ['alice', 'bob', 'chen.wei', 'li.na', 'maria', 'kenji', 'release-eng', 'sre'];
const REPOS = ['acme/widgets', 'acme/storefront', 'acme/payments-api', 'acme/mobile-app', 'acme/infra-live', 'acme/docs', 'acme/search-service'];
const TIMEZONES = ['Asia/Shanghai', 'Asia/Shanghai', 'Asia/Shanghai', 'UTC', 'UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Singapore', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney'];
const GENERIC_CRONS = ['30 8 * * 1-5', '0 * * * *', '*/15 * * * *', '0 2 * * *', '0 6 1 * *', '0 22 * * 0', '0 9 * * 1'];
const AGENTS = [
  { id: 'agent_019ee2f4a61c7d3e9b5f0c8a47d21e6b', latest: 3 },
  { id: 'agent_019ed0b7c3487a11a6f2e95d0b3c7f48', latest: 2 },
  { id: 'agent_019e9a52d1f07c4e8a3b6d2f90c1e7a5', latest: 7 },
  { id: 'agent_019eb3c8e6a27f19b4d05c3e8f1a2d64', latest: 1 },
  { id: 'agent_019ef1a4b5c67d28a9e03f6b7c4d1e92', latest: 4 },
];
const ENVIRONMENTS = [
  'env_019ec8d21f5a7b0c84e6d3f9a2b15c70',
  'env_019eaa41d7e276c5b918f0e3c4d6a2b9',
  'env_019e8f63a0b47d15c2e9f8a1b6d3c072',
  'env_019ed7b2c4e87a30b5f16d9e2a0c4b8f',
];
const VAULTS = ['vault_019ec9f03b8e7d24a1c65f7e08b3d9a1', 'vault_019eab17d2c47e80b3f95a6c1d0e2f47', 'vault_019ef0c9a3b17d64e2a58f0b9c3d1e76'];
const ENV_VARS = ['', '', '', '', 'LOG_LEVEL=info', 'FEATURE_FLAG=on\nLOG_LEVEL=info', 'MAX_ISSUES=50'];

export const SEED_AGENTS = AGENTS;
export const SEED_ENVIRONMENTS = ENVIRONMENTS;

const DAY = 86_400_000;
const SPAN = 180 * DAY;
const FIRES_KEPT = 48;

// Shared, immutable per-job objects (never mutated in place; updates replace them).
const eventsNew = new Map<string, unknown[]>();
const eventsOld = new Map<string, unknown[]>();
function initialEvents(job: Job, legacy: boolean): unknown[] {
  const cache = legacy ? eventsOld : eventsNew;
  let ev = cache.get(job.name);
  if (!ev) {
    ev = legacy
      ? [{ content: job.prompt, type: 'user.message' }]
      : [{ content: [{ text: job.prompt, type: 'text' }], type: 'user.message' }];
    cache.set(job.name, ev);
  }
  return ev;
}

const resourceCache = new Map<string, unknown[]>();
function repoResources(repo: string): unknown[] {
  let r = resourceCache.get(repo);
  if (!r) {
    r = [{ checkout: { name: 'main', type: 'branch' }, mount_path: `/workspace/${repo.split('/')[1]}`, type: 'github_repository', url: `https://github.com/${repo}` }];
    resourceCache.set(repo, r);
  }
  return r;
}

/** Skewed count in [0, max]: most deployments have few runs, some many. */
function skewed(rand: Rand, max: number): number {
  const r = rand();
  return Math.floor(r * r * (max + 1));
}

type Kind = 'active' | 'manual' | 'paused' | 'paused-error' | 'archived';

export interface SeedOptions {
  nowMs: number;
  salt: number;
  /**
   * Seed some deployments in the old shapes (no `environment_variables`, `metadata.cas_config.stats`,
   * runs with `status`, `triggered_at`, `completed_at`, `duration_ms`, `cas_run_extras`). Off by
   * default: the live API serves only the current shapes (deployments-api.md §4.1, §4.4).
   */
  legacyShapes?: boolean;
}

/** Seeds n deployments, newest first (ids strictly decreasing). */
export function seedDeployments(n: number, opts: SeedOptions): DepRecord[] {
  const { nowMs, salt } = opts;
  const firesCache = new Map<string, readonly number[]>();
  const fires = (expr: string, tz: string): readonly number[] => {
    const key = expr + '\u0000' + tz;
    let f = firesCache.get(key);
    if (!f) {
      f = Object.freeze(pastFires(expr, tz, nowMs - 60_000, FIRES_KEPT));
      firesCache.set(key, f);
    }
    return f;
  };
  const nameCount = new Map<string, number>();
  const out: DepRecord[] = new Array(n);
  let prevMs = nowMs - 3_600_000;
  const newest = nowMs - 3_600_000;
  for (let i = 0; i < n; i++) {
    const seed = hash32(salt, i, 0xd3b);
    const rand = prng(seed);
    let createdMs = Math.floor(newest - ((i + rand() * 0.8) / Math.max(n, 1)) * SPAN);
    if (createdMs >= prevMs) createdMs = prevMs - 1;
    prevMs = createdMs;
    const id = makeId('dep_', createdMs, rand);
    const job = pick(rand, JOBS);
    const r = rand();
    // ~11% of jobs are manual-only by nature; with r < 0.02 that makes ~12% manual-only overall.
    let kind: Kind = job.crons.length === 0 || r < 0.02 ? 'manual' : r < 0.15 ? 'paused' : r < 0.24 ? 'paused-error' : r < 0.33 ? 'archived' : 'active';
    if (job.crons.length === 0 && r >= 0.24 && r < 0.33) kind = 'archived';
    const legacyFailing = kind === 'active' && rand() < 0.17;
    // Both draws always happen, so the rest of the seed is the same with and without old shapes.
    const legacy = (legacyFailing || (kind === 'active' && rand() < 0.05)) && opts.legacyShapes === true;
    const team = pick(rand, TEAMS);
    const agentDef = pick(rand, AGENTS);
    const agent = { id: agentDef.id, version: rand() < 0.7 ? agentDef.latest : intBetween(rand, 1, agentDef.latest) };

    // Name: job, sometimes team-prefixed; unique among live deployments.
    let base = rand() < 0.45 ? job.name : /^[a-z]/.test(job.name) ? `${team}-${job.name}` : `${job.name}-${team}`;
    if (kind !== 'archived') {
      const c = (nameCount.get(base) ?? 0) + 1;
      nameCount.set(base, c);
      if (c > 1) base = `${base}-${c}`;
    }

    const metadata: Record<string, string> = {};
    const mr = rand();
    if (mr < 0.55) metadata.team = team;
    if (mr > 0.35 && mr < 0.75) metadata.owner = pick(rand, OWNERS);
    if (mr > 0.9) metadata.cost_center = `cc-${intBetween(rand, 100, 999)}`;

    const scheduled = kind !== 'manual' && !(kind === 'archived' && (job.crons.length === 0 || rand() < 0.25));
    const expr = scheduled ? (job.crons.length > 0 && rand() < 0.85 ? pick(rand, job.crons) : pick(rand, GENERIC_CRONS)) : '';
    const tz = pick(rand, TIMEZONES);
    const f = scheduled ? fires(expr, tz) : null;
    // Number of past fires after creation (fires are newest first).
    let available = 0;
    if (f) {
      let lo = 0;
      let hi = f.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((f[mid] as number) > createdMs) lo = mid + 1;
        else hi = mid;
      }
      available = lo;
    }

    const lagMs = intBetween(rand, 1, 9) * 1000;
    let status: 'active' | 'paused' = 'active';
    let pausedReason: Record<string, unknown> | null = null;
    let archivedMs: number | null = null;
    let updatedMs = createdMs + Math.floor(rand() * (nowMs - createdMs) * 0.5);
    let start = 0;
    let failStreak = 0;
    let errType: string | null = null;
    let effKind = kind;
    if (kind === 'paused-error' && available === 0) effKind = 'paused';

    const plan: RunPlan = {
      seed,
      fires: f,
      start: 0,
      schedCount: 0,
      manualCount: 0,
      manualFrom: createdMs,
      manualTo: nowMs - 60_000,
      failStreak: 0,
      errType: null,
      lagMs,
      legacy,
    };

    switch (effKind) {
      case 'paused': {
        status = 'paused';
        pausedReason = { type: 'manual' };
        if (available >= 2) {
          start = intBetween(rand, 1, Math.min(5, available - 1));
          const newer = f![start - 1] as number;
          const older = f![start] as number;
          updatedMs = older + lagMs + 60_000 + Math.floor(rand() * Math.max(1, newer - older - lagMs - 120_000));
        } else {
          const from = available === 1 ? (f![0] as number) + lagMs + 60_000 : createdMs;
          updatedMs = from + Math.floor(rand() * Math.max(1, nowMs - from - 120_000));
        }
        break;
      }
      case 'paused-error': {
        status = 'paused';
        start = intBetween(rand, 0, Math.min(3, available - 1));
        errType = pick(rand, PAUSE_REASONS);
        pausedReason = { error: { type: errType }, type: 'error' };
        failStreak = Math.min(intBetween(rand, 1, 3), available - start);
        updatedMs = (f![start] as number) + lagMs + intBetween(rand, 1, 5) * 1000;
        break;
      }
      case 'archived': {
        if (f && available >= 3) {
          start = intBetween(rand, 1, Math.min(20, available - 1));
          const newer = f[start - 1] as number;
          const older = f[start] as number;
          archivedMs = older + lagMs + 30_000 + Math.floor(rand() * Math.max(1, newer - older - lagMs - 60_000));
        } else {
          archivedMs = createdMs + 60_000 + Math.floor(rand() * Math.max(1, nowMs - createdMs - 120_000));
          start = f ? f.findIndex((t) => t < archivedMs!) : 0;
          if (start < 0) start = available;
        }
        if (rand() < 0.2) {
          status = 'paused';
          pausedReason = { type: 'manual' };
        }
        updatedMs = archivedMs;
        plan.manualTo = archivedMs;
        break;
      }
      case 'active':
        if (legacyFailing && available > 0) {
          failStreak = Math.min(intBetween(rand, 1, 6), available);
          errType = pick(rand, PAUSE_REASONS);
        }
        break;
      default:
        break;
    }

    // Run history plan.
    let lastRunMs: number | null = null;
    if (f && start < available) {
      plan.start = start;
      plan.schedCount = Math.max(1, Math.min(available - start, 1 + skewed(rand, 29)), failStreak);
      plan.schedCount = Math.min(plan.schedCount, available - start);
      plan.failStreak = Math.min(failStreak, plan.schedCount);
      plan.errType = errType;
      lastRunMs = (f[start] as number) + lagMs;
      const oldest = f[start + plan.schedCount - 1] as number;
      plan.manualFrom = plan.schedCount > 1 ? oldest : createdMs;
      plan.manualTo = f[start] as number;
      plan.manualCount = Math.min(30 - plan.schedCount, skewed(rand, 5));
    } else if (!f) {
      plan.manualCount = skewed(rand, 30);
      plan.manualTo = archivedMs ?? nowMs - 60_000;
    }
    if (plan.manualTo <= plan.manualFrom) plan.manualCount = 0;
    if (updatedMs > nowMs - 1000) updatedMs = nowMs - 1000;
    if (updatedMs < createdMs) updatedMs = createdMs;

    let cas: DepRecord['cas'] = null;
    if (legacy) {
      let failures = 0;
      for (let j = 0; j < plan.schedCount; j++) if (schedRunFailed(plan, j)) failures++;
      for (let k = 0; k < plan.manualCount; k++) if (manualRunFailed(plan, k)) failures++;
      cas = {
        stats: {
          consecutive_failures: plan.failStreak,
          total_failures: failures,
          total_runs: plan.schedCount + plan.manualCount,
          ...(lastRunMs !== null ? { last_triggered_at: isoSeconds(lastRunMs) } : {}),
        },
      };
    }

    const resources = rand() < 0.5 ? repoResources(pick(rand, REPOS)) : [];
    out[i] = {
      id,
      createdMs,
      name: archivedMs !== null ? `${base}_archived_${Math.floor(archivedMs / 1000)}` : base,
      description: rand() < 0.9 ? job.description : '',
      agent,
      environment_id: pick(rand, ENVIRONMENTS),
      environment_variables: legacy ? undefined : pick(rand, ENV_VARS),
      initial_events: initialEvents(job, legacy),
      resources,
      vault_ids: rand() < 0.3 ? [pick(rand, VAULTS)] : [],
      metadata,
      cas,
      schedule: f ? { expression: expr, timezone: tz, ...(lastRunMs !== null ? { last_run_at: isoSeconds(lastRunMs) } : {}) } : null,
      status,
      paused_reason: pausedReason,
      archived_at: archivedMs !== null ? isoSeconds(archivedMs) : null,
      created_at: isoSeconds(createdMs),
      updated_at: isoSeconds(updatedMs),
      plan: plan.schedCount + plan.manualCount > 0 ? plan : null,
      runs: null,
      json: null,
      jsonUpc: null,
    };
  }
  return out;
}
