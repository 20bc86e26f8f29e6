// scripts/publish-check.mjs: the offline check of a packaged .vsix before publishing.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';

type Entries = Map<string, () => Buffer>;
interface PublishCheck {
  checkVsix(entries: Entries, opts?: { release?: boolean }): { errors: string[]; notes: string[] };
  readZip(buf: Buffer): Entries;
  pngSize(bytes: Buffer): { width: number; height: number } | null;
}
const load = () => import(join(__dirname, '..', '..', 'scripts', 'publish-check.mjs')) as Promise<PublishCheck>;

const ROOT = join(__dirname, '..', '..');
const repoPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

/** A PNG header (signature + IHDR) of the given size; enough for the size check. */
function png(width: number, height: number): Buffer {
  const buf = Buffer.alloc(33);
  Buffer.from('89504e470d0a1a0a', 'hex').copy(buf, 0);
  buf.writeUInt32BE(13, 8);
  buf.write('IHDR', 12, 'latin1');
  buf.writeUInt32BE(width, 16);
  buf.writeUInt32BE(height, 20);
  return buf;
}

function vsix(pkg: Record<string, unknown>, extra: Record<string, Buffer> = {}, icon = png(256, 256)): Entries {
  const files: Record<string, Buffer> = {
    'extension.vsixmanifest': Buffer.from(`<Identity Version="${String(pkg.version)}"/><Asset Type="Microsoft.VisualStudio.Services.Icons.Default"/>`),
    'extension/package.json': Buffer.from(JSON.stringify(pkg)),
    'extension/dist/extension.js': Buffer.from('exports.activate=()=>{}'),
    'extension/readme.md': Buffer.from('# r'),
    'extension/changelog.md': Buffer.from('# c'),
    'extension/LICENSE.txt': Buffer.from('MIT'),
    'extension/package.nls.json': Buffer.from('{}'),
    'extension/media/icon.png': icon,
    ...extra,
  };
  return new Map(Object.entries(files).map(([name, bytes]) => [name, () => bytes]));
}

describe('publish:check', () => {
  it('accepts the repository manifest with a 256×256 PNG icon and notes the placeholder URLs', async () => {
    const { checkVsix } = await load();
    const { errors, notes } = checkVsix(vsix(repoPkg));
    assert.deepEqual(errors, []);
    assert.ok(notes.some((n) => /placeholder/.test(n)) === /placeholder/i.test(JSON.stringify(repoPkg.repository)));
  });

  it('fails on placeholder URLs with --release', async () => {
    const { checkVsix } = await load();
    const pkg = { ...repoPkg, homepage: 'https://github.com/PLACEHOLDER/x#readme' };
    assert.ok(checkVsix(vsix(pkg), { release: true }).errors.some((e) => /homepage.*placeholder/.test(e)));
  });

  it('fails when a file the bundle requires on first use (a lazy chunk, or one a chunk requires) is not in the vsix', async () => {
    const { checkVsix } = await load();
    const main = { 'extension/dist/extension.js': Buffer.from('exports.activate=()=>{};const c=()=>require("./chat.js"),e=()=>require("./editor.js");') };
    const editor = { 'extension/dist/editor.js': Buffer.from('const k=require("./extension.js"),c=()=>require("./croner.js");') };
    const withoutChat = checkVsix(vsix(repoPkg, { ...main, ...editor, 'extension/dist/croner.js': Buffer.from('') })).errors;
    assert.deepEqual(withoutChat.filter((e) => /requires/.test(e)), ['dist/extension.js requires ./chat.js, which is not in the vsix']);
    const withoutCroner = checkVsix(vsix(repoPkg, { ...main, ...editor, 'extension/dist/chat.js': Buffer.from('') })).errors;
    assert.deepEqual(withoutCroner.filter((e) => /requires/.test(e)), ['dist/editor.js requires ./croner.js, which is not in the vsix']);
    const complete = checkVsix(vsix(repoPkg, { ...main, ...editor, 'extension/dist/chat.js': Buffer.from(''), 'extension/dist/croner.js': Buffer.from('') })).errors;
    assert.deepEqual(complete, []);
  });

  it('fails when the engine floor is newer than 1.104 or @types/vscode is newer than the floor', async () => {
    const { checkVsix } = await load();
    const newer = checkVsix(vsix({ ...repoPkg, engines: { vscode: '^1.138.0' } })).errors;
    assert.ok(newer.some((e) => /engines\.vscode/.test(e)), newer.join('\n'));
    const types = checkVsix(vsix({ ...repoPkg, devDependencies: { '@types/vscode': '1.106.0' } })).errors;
    assert.ok(types.some((e) => /@types\/vscode 1\.106\.0 is newer/.test(e)), types.join('\n'));
  });

  it('fails on a small, non-square, SVG or missing icon', async () => {
    const { checkVsix } = await load();
    assert.ok(checkVsix(vsix(repoPkg, {}, png(64, 64))).errors.some((e) => /64×64, needs at least 128×128/.test(e)));
    assert.ok(checkVsix(vsix(repoPkg, {}, png(256, 128))).errors.some((e) => /not square/.test(e)));
    assert.ok(checkVsix(vsix(repoPkg, {}, Buffer.from('<svg/>'))).errors.some((e) => /not a PNG/.test(e)));
    assert.ok(checkVsix(vsix({ ...repoPkg, icon: undefined })).errors.some((e) => /"icon" is missing/.test(e)));
  });

  it('fails on missing repository, bugs, galleryBanner, categories or an unknown category', async () => {
    const { checkVsix } = await load();
    const errors = checkVsix(vsix({ ...repoPkg, repository: undefined, bugs: undefined, galleryBanner: undefined, categories: ['Other', 'Cloud'] })).errors;
    for (const re of [/repository\.url/, /bugs\.url/, /galleryBanner/, /unknown category "Cloud"/]) assert.ok(errors.some((e) => re.test(e)), `${re}: ${errors.join('\n')}`);
  });

  it('fails when the vsix holds src/, test/ or node_modules/', async () => {
    const { checkVsix } = await load();
    for (const path of ['extension/src/extension.ts', 'extension/test/unit/a.test.ts', 'extension/node_modules/x/index.js']) {
      const errors = checkVsix(vsix(repoPkg, { [path]: Buffer.from('x') })).errors;
      assert.ok(errors.some((e) => e.includes('must not ship') && e.includes(path)), `${path}: ${errors.join('\n')}`);
    }
  });

  it('reads stored and deflated entries of a zip archive', async () => {
    const { readZip, pngSize } = await load();
    const zip = makeZip({ 'a.txt': [Buffer.from('hello'), false], 'b/icon.png': [png(300, 300), true] });
    const entries = readZip(zip);
    assert.deepEqual([...entries.keys()], ['a.txt', 'b/icon.png']);
    assert.equal(entries.get('a.txt')!().toString(), 'hello');
    assert.deepEqual(pngSize(entries.get('b/icon.png')!()), { width: 300, height: 300 });
  });
});

/** A minimal zip writer (no CRC check is done by the reader, so the CRC field stays 0). */
function makeZip(files: Record<string, [Buffer, boolean]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, [content, deflate]] of Object.entries(files)) {
    const data = deflate ? deflateRawSync(content) : content;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
