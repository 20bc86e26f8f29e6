// Safe defaults for new deployments (issue 21 item 6): what New Deployment… offers (agents, then
// environments), the template's tab stops, and the refusal of the template's example prompt.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentText, templateDocument, templatePrompt } from '../../src/editing/model/deploymentDocument';
import { agentChoices, environmentChoices, promptPath, snippetOf, untouchedPrompt } from '../../src/editing/model/newDeployment';
import { withPrompt } from '../../src/editing/model/nameRefs';
import { snippetStops as stops, snippetText as expand, variant } from './fixtures';

const dep = (n: number, agent: string, env: string, archived = false) =>
  variant('active', n, { agent: { id: agent, type: 'agent', version: 1 }, environment_id: env, archived_at: archived ? '2026-01-01T00:00:00Z' : null });


describe('new deployment: agent, then environment', () => {
  const deployments = [dep(1, 'agent_b', 'env_x'), dep(2, 'agent_a', 'env_y'), dep(3, 'agent_a', 'env_x'), dep(4, 'agent_a', 'env_z'), dep(5, 'agent_gone', 'env_gone', true)];

  it('offers each agent the live deployments use once, most used first; archived deployments offer nothing', () => {
    assert.deepEqual(agentChoices(deployments), [{ id: 'agent_a', uses: 3 }, { id: 'agent_b', uses: 1 }]);
  });

  it('offers the environments the chosen agent runs in first, then the others', () => {
    assert.deepEqual(environmentChoices(deployments, 'agent_b').map((e) => [e.id, e.withAgent]), [['env_x', true], ['env_y', false], ['env_z', false]]);
    assert.deepEqual(environmentChoices(deployments, 'agent_a').map((e) => [e.id, e.withAgent]), [['env_x', true], ['env_y', true], ['env_z', true]]);
    assert.ok(!environmentChoices(deployments, 'agent_a').some((e) => e.id === 'env_gone'), 'an archived deployment’s environment is not offered');
  });
});

describe('new deployment: the template', () => {
  const doc = templateDocument({ agentId: 'agent_1', environmentId: 'env_1', timezone: 'Europe/Berlin' });
  const text = documentText(doc);

  it('as a snippet: tab stops on the name, then the prompt, then the schedule, and it types exactly the document', () => {
    const snippet = snippetOf(text, ['name', promptPath(doc), 'schedule.expression']);
    assert.deepEqual(stops(snippet), ['new-deployment', templatePrompt(), '0 9 * * 1-5']);
    assert.equal(expand(snippet), text);
  });

  it('a snippet escapes $, } and \\ in the text and in the stops', () => {
    const tricky = documentText({ ...doc, name: 'cost ${USD} \\ report', description: 'a } b $1' });
    const snippet = snippetOf(tricky, ['name']);
    assert.deepEqual(stops(snippet), ['cost ${USD} \\\\ report'], 'the JSON text of the name, whose backslash is escaped once by JSON');
    assert.equal(expand(snippet), tricky);
    assert.ok(!/(^|[^\\])\$1/.test(snippet.replace(/\$\{1:/, '')), 'no stray tab stop');
  });

  it('the example prompt is refused on the prompt field, in English and as translated; any other prompt passes', () => {
    const problem = untouchedPrompt(doc);
    assert.equal(problem?.path, 'initial_events[0].content[0].text');
    assert.match(problem!.message, /prompt/);
    assert.ok(untouchedPrompt(withPrompt({ ...doc }, '  Describe what the agent should do on each run.\n')), 'the English text, with whitespace around it');
    assert.equal(untouchedPrompt(withPrompt({ ...doc }, 'Summarise yesterday’s failed CI runs.')), undefined);
    assert.equal(untouchedPrompt({ ...doc, initial_events: [{ type: 'user.message', content: 'Describe what the agent should do on each run.' }] })?.path, 'initial_events[0].content');
  });
});
