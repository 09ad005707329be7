// URLs of files under public/ that change when the file does (`?v=` + a content hash), so browsers and nginx
// may cache them for days without a changed stylesheet or script taking that long to reach users. Every node
// serves the same image, so every node computes the same URL.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type AssetUrl = (file: string) => string;

export function assetUrls(publicDir: string, options: { cache: boolean }): AssetUrl {
  const known = new Map<string, string>();
  return (file) => {
    const cached = known.get(file);
    if (cached) return cached;
    const url = `/static/${file}?v=${contentHash(path.join(publicDir, file))}`;
    if (options.cache) known.set(file, url);
    return url;
  };
}

function contentHash(filePath: string): string {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(filePath)).digest('hex').slice(0, 10);
  } catch {
    // A missing asset is a packaging mistake; the page still renders and the 404 shows up in the browser.
    return 'missing';
  }
}
