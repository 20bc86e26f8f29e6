// Editing by name (issue 21 item 3): agent and environment values found in the text, a name
// typed where an id belongs and its quick fix, the prompt and the environment variables as text
// of their own, and where a field named by a path sits (to mark a save error on it).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { envText, findRefs, idsNamed, nameFixes, parseEnvText, promptOf, refAt, refProblem, withPrompt, type Named } from '../../src/editing/model/nameRefs';
import { fieldSpot } from '../../src/editing/model/fieldSpot';

const known: Named[] = [
  { kind: 'agent', id: 'agent_01a', name: 'Metrics Writer' },
  { kind: 'environment', id: 'env_01x', name: 'server-environment' },
  { kind: 'environment', id: 'env_02y', name: 'staging' },
];

const doc = (agent: string, env: string): string =>
  `{\n  "name": "weekly",\n  "agent": {\n    "id": ${JSON.stringify(agent)},\n    "type": "agent",\n    "version": 2\n  },\n  "environment_id": ${JSON.stringify(env)},\n  "initial_events": []\n}\n`;

test('names: finds the agent id inside {id, …}, a bare agent string and environment_id, with the range of the text inside the quotes', () => {
  const text = doc('agent_01a', 'env_01x');
  const spots = findRefs(text);
  assert.deepEqual(spots.map((s) => [s.kind, s.value, text.slice(s.offset, s.offset + s.length)]), [
    ['agent', 'agent_01a', 'agent_01a'],
    ['environment', 'env_01x', 'env_01x'],
  ]);
  const bare = '{"agent": "agent_9", "environment_id": "staging"';
  assert.deepEqual(findRefs(bare).map((s) => [s.kind, s.value]), [['agent', 'agent_9'], ['environment', 'staging']]);
  assert.equal(refAt(spots, text.indexOf('env_01x') + 3)?.kind, 'environment');
  assert.equal(refAt(spots, text.indexOf('"name"')), undefined);
});

test('names: a typed name resolves to its id (case and width folded); an id or an unknown name resolves to nothing', () => {
  assert.deepEqual(idsNamed('environment', ' Server-Environment ', known).map((n) => n.id), ['env_01x']);
  assert.deepEqual(idsNamed('agent', 'ｍｅｔｒｉｃｓ writer', known).map((n) => n.id), ['agent_01a']);
  assert.deepEqual(idsNamed('agent', 'server-environment', known), [], 'an environment’s name is not an agent');
  assert.deepEqual(idsNamed('environment', 'nope', known), []);
});

test('names: the quick fix replaces exactly the typed name with the id, and its message is one sentence of ours', () => {
  const text = doc('agent_01a', 'server-environment');
  const spot = findRefs(text).find((s) => s.kind === 'environment')!;
  const fixes = nameFixes(spot, known);
  assert.equal(fixes.length, 1);
  const fixed = text.slice(0, fixes[0]!.offset) + fixes[0]!.id + text.slice(fixes[0]!.offset + fixes[0]!.length);
  assert.equal(fixed, doc('agent_01a', 'env_01x'));
  const message = refProblem(spot, known) ?? '';
  assert.match(message, /“server-environment” is the name of an environment.*env_01x/);
  assert.doesNotMatch(message, /pattern|\^env_/);
  assert.equal(refProblem(findRefs(fixed).find((s) => s.kind === 'environment')!, known), undefined, 'an id has no problem');
  assert.match(refProblem(findRefs(doc('nope', 'env_01x'))[0]!, known) ?? '', /agent ID \(agent_…\).*suggestions/);
  assert.deepEqual(nameFixes(findRefs(doc('agent_01a', 'env_01x'))[0]!, known), [], 'no fix for an id');
});

test('prompt: read from initial_events[0].content[0].text (or a content string) and written back without touching other events or fields', () => {
  const value = { name: 'x', initial_events: [{ type: 'user.message', content: [{ type: 'text', text: 'old\nprompt' }] }, { type: 'system.message', content: 'keep' }] };
  assert.equal(promptOf(value), 'old\nprompt');
  const next = withPrompt(value, '# New\n\n- step "one"\n');
  assert.equal(promptOf(next), '# New\n\n- step "one"\n');
  assert.deepEqual(next.initial_events, [{ type: 'user.message', content: [{ type: 'text', text: '# New\n\n- step "one"\n' }] }, { type: 'system.message', content: 'keep' }]);
  assert.equal(promptOf(value), 'old\nprompt', 'the input is not changed');
  assert.equal(promptOf(withPrompt({ initial_events: [{ type: 'user.message', content: 'plain' }] }, 'p2')), 'p2');
  assert.equal(promptOf({ initial_events: [] }), undefined);
  assert.deepEqual(withPrompt({ initial_events: [] }, 'first').initial_events, [{ type: 'user.message', content: [{ type: 'text', text: 'first' }] }]);
});

test('environment variables: NAME=value lines round-trip, blank lines are dropped, a bad line is named by its number', () => {
  const value = 'FEATURE_FLAG=on\nLOG_LEVEL=info\nURL=https://x/?a=b';
  const shown = envText(value);
  assert.equal(shown, 'FEATURE_FLAG=on\nLOG_LEVEL=info\nURL=https://x/?a=b\n');
  assert.deepEqual(parseEnvText(shown), { ok: true, value });
  assert.deepEqual(parseEnvText('A=1\n\n\nB=\n'), { ok: true, value: 'A=1\nB=' });
  assert.equal(envText(''), '');
  assert.deepEqual(parseEnvText(''), { ok: true, value: '' });
  const bad = parseEnvText('A=1\njust text\n2X=3\n');
  assert.equal(bad.ok, false);
  assert.deepEqual(!bad.ok && bad.problems.map((p) => p.line), [2, 3]);
});

test('field spot: a path as validation and a 400 name it finds the value in the text; a deeper part that does not exist marks its parent', () => {
  const text = doc('agent_01a', 'env_01x').replace('"initial_events": []', '"initial_events": [{"type": "user.message", "content": "hi"}], "schedule": {"type": "cron", "expression": "0 9 * *", "timezone": "UTC"}, "metadata": {"team": "a"}');
  const at = (path: string): string | undefined => {
    const s = fieldSpot(text, path);
    return s && text.slice(s.offset, s.offset + s.length);
  };
  assert.equal(at('schedule.expression'), '"0 9 * *"');
  assert.equal(at('environment_id'), '"env_01x"');
  assert.equal(at('agent.id'), '"agent_01a"');
  assert.equal(at('initial_events[0].content'), '"hi"');
  assert.equal(at('metadata.team'), '"a"');
  assert.equal(at('metadata.nope'), '{"team": "a"}');
  assert.equal(at('nothing'), undefined);
  assert.equal(fieldSpot('{"name": ', 'name'), undefined, 'not JSON');
});
