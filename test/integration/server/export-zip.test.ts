/**
 * Browser mode's export download, over real HTTP on 127.0.0.1 against `startServer`: the zip of a run's
 * exports/<format>/ streams with the files' exact bytes (read back with Python's zipfile); a request without
 * the token, a run outside the allowed roots, a format id that climbs out, a run without that export and a
 * recorded file that leaves the export folder (symlink) are all refused.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEngine } from '../../../main/engine-link/fork';
import { startServer, type StudioServer } from '../../../main/server/server';
import { parseRunFileText, writeRunState } from '../../../main/engine/run-folder/run-file';
import { exportZipUrl } from '../../../shared/contract/export';

const fixture = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'run-folder', 'run-v1.json');

let server: StudioServer;
let root = '';
let outside = '';
let runDir = '';

/** A run folder (run.json from the v1 fixture, migrated) with a recorded tfjs export of real bytes. */
async function makeRun(dir: string, files: Record<string, Buffer>, extra: string[] = []): Promise<void> {
  const folder = path.join(dir, 'exports', 'tfjs');
  mkdirSync(folder, { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(folder, name), body);
  const { state } = parseRunFileText(readFileSync(fixture, 'utf8'), fixture);
  state.status = 'completed';
  state.exports = { tfjs: { writtenAt: new Date().toISOString(), files: [...Object.keys(files), ...extra] } };
  await writeRunState(dir, state);
}

const files = {
  'model.json': Buffer.from(JSON.stringify({ format: 'layers-model' })),
  'group1-shard1of1.bin': Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)),
  'labels.txt': Buffer.from('0 cat\n1 dog\n'),
};

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ts-zip-root-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'ts-zip-outside-'));
  runDir = path.join(root, 'runs', 'r1');
  await makeRun(runDir, files);
  await makeRun(path.join(outside, 'r2'), files);
  // A run whose record names a symlink leading out of its export folder.
  const leaky = path.join(root, 'runs', 'leaky');
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  await makeRun(leaky, { 'labels.txt': Buffer.from('0 a\n') }, ['secret.txt']);
  symlinkSync(path.join(outside, 'secret.txt'), path.join(leaky, 'exports', 'tfjs', 'secret.txt'));
  server = await startServer({ roots: [root], spawn: forkEngine({ log: new PassThrough().resume() }) });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const get = (pathAndQuery: string, token = true) =>
  fetch(`http://127.0.0.1:${server.port}${pathAndQuery}${token ? `&token=${server.token}` : ''}`);

describe('GET /export.zip', () => {
  it('streams exports/<format>/ as a zip with every recorded file, byte for byte', async () => {
    const response = await get(exportZipUrl(runDir, 'tfjs'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="r1-tfjs.zip"');
    const zipFile = path.join(root, 'download.zip');
    writeFileSync(zipFile, Buffer.from(await response.arrayBuffer()));
    const listing = execFileSync('/usr/bin/python3', [
      '-c',
      'import sys, zipfile, json, hashlib\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))',
      zipFile,
    ]).toString();
    const { createHash } = await import('node:crypto');
    const expected = Object.fromEntries(
      Object.entries(files).map(([name, body]) => [`tfjs/${name}`, createHash('sha256').update(body).digest('hex')]),
    );
    expect(JSON.parse(listing)).toEqual(expected);
  });

  it('refuses a request without the token', async () => {
    const response = await get(exportZipUrl(runDir, 'tfjs'), false);
    expect(response.status).toBe(403);
  });

  it('refuses a run outside the allowed roots, also when reached with ".." from inside one', async () => {
    expect((await get(exportZipUrl(path.join(outside, 'r2'), 'tfjs'))).status).toBe(403);
    const climbing = `${root}/runs/../../${path.basename(outside)}/r2`;
    const response = await get(exportZipUrl(climbing, 'tfjs'));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('outside the folders you opened');
  });

  it('refuses a format id that would leave exports/, and a relative run folder, quoting the value', async () => {
    const bad = await get(exportZipUrl(runDir, '../../run.json'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('"../../run.json"');
    expect((await get(exportZipUrl('runs/r1', 'tfjs'))).status).toBe(400);
  });

  it('answers 404 for a format the run has not exported', async () => {
    const response = await get(exportZipUrl(runDir, 'tm'));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('no "tm" export yet');
  });

  it('refuses the whole download when a recorded file leads outside the export folder', async () => {
    const response = await get(exportZipUrl(path.join(root, 'runs', 'leaky'), 'tfjs'));
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('"secret.txt" is not a file inside the export folder');
    expect(text).not.toContain('secret\n');
  });
});
