import fs from 'node:fs';
import path from 'node:path';

/** The folder holding package.json, views/ and public/, whether running from src/ or dist/src/. */
export function projectRoot(start = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The version in package.json (shown on the cluster page and in heartbeats). */
export function appVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
