// The shape STYLE.md describes, checked on every run: the shared layers never import a feature, and a
// feature uses another feature only through its service (a type of another's rows is fine, its
// repository is not). Only the top-level files that build the app wire repositories into services.
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '../../src');

/** Folders every feature may build on; none of them may import a feature. */
const SHARED = [
  'lib',
  'db',
  'i18n',
  'middleware',
  'navigation',
  'jobs',
  'audit',
  'idempotency',
  'records',
  'users',
  'charts',
  'gpa',
  'types',
];
/** What each shared folder may import (besides itself and config.ts): lower layers only. */
const ALLOWED: Record<string, string[]> = {
  lib: [],
  db: [],
  i18n: ['lib'],
  gpa: [],
  charts: ['i18n', 'lib'],
  users: ['db', 'lib'],
  types: ['i18n', 'users'],
  navigation: ['users'],
  jobs: [],
  middleware: ['db', 'i18n', 'lib', 'navigation', 'users', 'redis.ts'],
  audit: ['db', 'i18n', 'lib', 'middleware'],
  idempotency: ['audit', 'db', 'lib', 'middleware'],
  records: ['audit', 'db', 'idempotency', 'lib', 'middleware'],
};

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import of src/, as the folder (or top-level file) of src/ it lands in. */
function imports(): Import[] {
  const found: Import[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(import|export)( type)?\s[^;]*?from '(\.{1,2}\/[^']+)'/gms)) {
      const resolved = path.relative(SRC, path.resolve(path.dirname(file), m[3]!));
      if (resolved.startsWith('..')) continue;
      found.push({ file: path.relative(SRC, file), target: resolved, typeOnly: m[2] !== undefined });
    }
  }
  return found;
}

const folderOf = (p: string) => (p.includes(path.sep) ? p.split(path.sep)[0]! : `${p}.ts`);

describe('the layers of src/', () => {
  const all = imports();

  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(200);
  });

  it('never imports a feature, or a layer above, from a shared layer', () => {
    const wrong = all.filter(({ file, target }) => {
      const from = folderOf(file);
      const to = folderOf(target);
      if (!SHARED.includes(from) || to === from || to === 'config.ts') return false;
      return !ALLOWED[from]!.includes(to);
    });
    expect(wrong.map((i) => `${i.file} -> ${i.target}`)).toEqual([]);
  });

  it("never uses another feature's repository, except as a type", () => {
    const wrong = all.filter(({ file, target, typeOnly }) => {
      const from = folderOf(file);
      const to = folderOf(target);
      // The top-level files (app.ts, features.ts, server.ts) are where everything is built and wired.
      if (from.endsWith('.ts')) return false;
      return from !== to && to !== 'records' && target.endsWith('.repository') && !typeOnly;
    });
    expect(wrong.map((i) => `${i.file} -> ${i.target}`)).toEqual([]);
  });
});
