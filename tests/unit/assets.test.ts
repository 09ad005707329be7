import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assetUrls } from '../../src/lib/assets';

describe('asset URLs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sis-assets-'));
    fs.mkdirSync(path.join(dir, 'css'));
    fs.writeFileSync(path.join(dir, 'css', 'app.css'), 'body { color: black; }');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carry a hash of the content, so a changed file gets a new URL', () => {
    const asset = assetUrls(dir, { cache: false });
    const before = asset('css/app.css');
    expect(before).toMatch(/^\/static\/css\/app\.css\?v=[0-9a-f]{10}$/);
    fs.writeFileSync(path.join(dir, 'css', 'app.css'), 'body { color: navy; }');
    expect(asset('css/app.css')).not.toBe(before);
  });

  it('are computed once when cached (production), as every node serves the same files', () => {
    const asset = assetUrls(dir, { cache: true });
    const first = asset('css/app.css');
    fs.writeFileSync(path.join(dir, 'css', 'app.css'), 'changed');
    expect(asset('css/app.css')).toBe(first);
  });

  it('still give a URL for a missing file instead of failing the page', () => {
    expect(assetUrls(dir, { cache: false })('js/none.js')).toBe('/static/js/none.js?v=missing');
  });
});
