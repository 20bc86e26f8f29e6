import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { QoderClient, QoderError, isDeploymentId, isRunId, redact, validateBaseUrl } from '../../src/api';
import { BASE, DEP_ID, RUN_ID, TOKEN, makeClient, rejection } from './client-fakes';

function assertConfig(e: unknown, pattern?: RegExp): void {
  assert.ok(e instanceof QoderError, `expected QoderError, got ${String(e)}`);
  assert.equal(e.kind, 'config');
  if (pattern) assert.match(e.message, pattern);
}

describe('isDeploymentId / isRunId', () => {
  test('accepts documented and tolerated ids', () => {
    for (const id of [DEP_ID, 'dep_1', 'dep_ABCdef019', `dep_${'a'.repeat(64)}`]) assert.equal(isDeploymentId(id), true, id);
    for (const id of [RUN_ID, 'drun_1', `drun_${'F'.repeat(64)}`]) assert.equal(isRunId(id), true, id);
  });

  test('rejects anything that could change a URL or is not a string', () => {
    const bad: unknown[] = [
      '',
      'dep_',
      '../x',
      'dep_/../',
      'dep_../x',
      'dep_abc/runs',
      'dep_abc?x=1',
      'dep_abc#x',
      'dep_abc%2F',
      'dep_ abc',
      ' dep_abc',
      'dep_abc ',
      'dep_abc\n',
      'dep_ab-c',
      'dep_ab.c',
      'DEP_abc',
      'drun_abc',
      `dep_${'a'.repeat(65)}`,
      'dep_é',
      null,
      undefined,
      42,
      {},
      ['dep_abc'],
    ];
    for (const id of bad) assert.equal(isDeploymentId(id), false, JSON.stringify(id) ?? String(id));
    for (const id of ['', 'drun_', 'drun_/../', 'dep_abc', 'drun_a b', 'drun_a/b', 7, null]) {
      assert.equal(isRunId(id), false, String(id));
    }
  });
});

describe('validateBaseUrl', () => {
  const ok: Array<[string, string]> = [
    ['https://api.qoder.com/api/v1/cloud', 'https://api.qoder.com/api/v1/cloud'],
    ['https://api.qoder.com/api/v1/cloud/', 'https://api.qoder.com/api/v1/cloud'],
    ['https://api.qoder.com/api/v1/cloud///', 'https://api.qoder.com/api/v1/cloud'],
    ['  https://api.qoder.com.cn/api/v1/cloud ', 'https://api.qoder.com.cn/api/v1/cloud'],
    ['https://api.qoder.com', 'https://api.qoder.com/'],
    ['http://127.0.0.1:8787/api/v1/cloud/', 'http://127.0.0.1:8787/api/v1/cloud'],
    ['http://127.42.0.9/x', 'http://127.42.0.9/x'],
    ['http://localhost:3000', 'http://localhost:3000/'],
    ['http://LOCALHOST:3000/a', 'http://localhost:3000/a'],
    ['http://[::1]:9000/api', 'http://[::1]:9000/api'],
  ];
  for (const [input, href] of ok) {
    test(`accepts ${input.trim()}`, () => {
      assert.equal(validateBaseUrl(input).href, href);
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['not a url', /not a valid/],
    ['api.qoder.com/api/v1/cloud', /not a valid/],
    ['ftp://api.qoder.com/x', /https/],
    ['file:///etc/passwd', /https/],
    ['javascript:alert(1)', /https/],
    ['http://api.qoder.com/api/v1/cloud', /plain http.*not be sent/],
    ['http://10.0.0.1/api', /plain http/],
    ['http://128.0.0.1/api', /plain http/],
    ['http://localhost.evil.com/api', /plain http/],
    ['http://127.0.0.1.nip.io/api', /plain http/],
    ['https://user:pass@api.qoder.com/x', /user name or password/],
    ['https://api.qoder.com/x?token=1', /query/],
    ['https://api.qoder.com/x#frag', /query string or fragment/],
  ];
  for (const [input, pattern] of bad) {
    test(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => validateBaseUrl(input), (e: unknown) => {
        assertConfig(e, pattern);
        assert.match((e as Error).message, /token/);
        return true;
      });
    });
  }
});

describe('QoderClient construction', () => {
  test('normalises baseUrl and refuses a bad one or a bad token', () => {
    assert.equal(new QoderClient({ baseUrl: `${BASE}/`, token: TOKEN }).baseUrl, BASE);
    assert.equal(new QoderClient({ baseUrl: 'https://h.example', token: TOKEN }).baseUrl, 'https://h.example');
    for (const opts of [
      { baseUrl: 'http://api.qoder.com/api/v1/cloud', token: TOKEN },
      { baseUrl: 'garbage', token: TOKEN },
      { baseUrl: BASE, token: '' },
      { baseUrl: BASE, token: '   ' },
      { baseUrl: BASE, token: 'pt-abc\r\nX-Evil: 1' },
    ]) {
      assert.throws(() => new QoderClient(opts), (e: unknown) => {
        assertConfig(e);
        assert.ok(!(e as Error).message.includes('pt-abc'));
        return true;
      });
    }
  });
});

describe('id validation happens before any request', () => {
  const badIds = ['', '../x', 'dep_/../', 'dep_a b', 'dep_abc/archive', 'drun_019f'];
  test('deployment operations', async () => {
    const { client, calls } = makeClient([]);
    for (const id of badIds) {
      assertConfig(await rejection(client.getDeployment(id)), /not a valid deployment id/);
      assertConfig(await rejection(client.pauseDeployment(id)));
      assertConfig(await rejection(client.resumeDeployment(id)));
      assertConfig(await rejection(client.archiveDeployment(id)));
      assertConfig(await rejection(client.runDeployment(id)));
      assertConfig(await rejection(client.listRunsPage(id)));
      assertConfig(await rejection(client.listDeployments({ limit: 0 }).next()));
      assertConfig(await rejection(client.getRun(id, RUN_ID)));
    }
    assertConfig(await rejection(client.getDeployment(42 as unknown as string)));
    assert.equal(calls.length, 0);
  });

  test('run ids', async () => {
    const { client, calls } = makeClient([]);
    for (const id of ['', 'drun_../x', 'drun_a/b', DEP_ID, 'drun_%2e%2e']) {
      assertConfig(await rejection(client.getRun(DEP_ID, id)), /not a valid run id/);
    }
    assert.equal(calls.length, 0);
  });

  test('bad filters are config errors before any request', async () => {
    const { client, calls } = makeClient([]);
    for (const limit of [0, 101, -1, 1.5, NaN]) {
      assertConfig(await rejection(client.listAllDeployments({ limit })), /limit/);
      assertConfig(await rejection(client.listRunsPage(DEP_ID, { limit })), /limit/);
    }
    assertConfig(await rejection(client.listAllDeployments({ status: 'archived' as 'active' })), /status/);
    assertConfig(await rejection(client.listAllDeployments({ agent_id: '' })), /agent_id/);
    assert.equal(calls.length, 0);
  });
});

describe('redact', () => {
  test('removes the secret, encoded secret, bearer values and pt- tokens', () => {
    assert.equal(redact(`token=${TOKEN} again ${TOKEN}`, TOKEN), 'token=*** again ***');
    assert.equal(redact('Authorization: Bearer abc.def-gh1', 'zzz'), 'Authorization: ***');
    assert.equal(redact('header "bearer xyz12345"', 'zzz'), 'header "***"');
    assert.equal(redact('leaked pt-0123456789abcdef here', 'other'), 'leaked *** here');
    assert.equal(redact('weird secret a+b/c=', 'a+b/c='), 'weird secret ***');
    assert.equal(redact('enc a%2Bb%2Fc%3D', 'a+b/c='), 'enc ***');
    assert.equal(redact('regex chars .*? stay', '.*?'), 'regex chars *** stay');
  });

  test('leaves normal text alone', () => {
    const text = 'Deployment dep_019f0a6c2e4b7f18a3d95c0e61b7f24d not found. Opt-in to pt-br? script-x. Invalid bearer token. Bearer authentication required.';
    assert.equal(redact(text, TOKEN), text);
    assert.equal(redact('nothing', ''), 'nothing');
  });
});
