// The EJS view engine. With Express's `view cache` (production), every template under views/ is compiled
// once and kept by its path, and include() finds its template in that map: no existsSync or readFileSync
// on the request path (ejs's own include looks the file up on disk at every call). Without the cache
// (development, tests), each render reads its files again, so an edited template shows at once.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Locals = Record<string, unknown>;
type Compiled = (locals: Locals) => string;
type Include = (name: string, extra?: Locals) => string;

export interface ViewEngine {
  /** Express's engine signature (`app.engine('ejs', engine.render)`). */
  render(file: string, options: object, callback: (err: Error | null, html?: string) => void): void;
  /** Compiles every template under `dir` now (at start-up), so that no request ever reads one. */
  preload(dir: string): number;
}

/** ejs's own rule: relative to the including file, `.ejs` added when the name has no extension. */
function resolveInclude(name: string, from: string): string {
  const resolved = path.resolve(path.dirname(from), name);
  return path.extname(name) ? resolved : `${resolved}.ejs`;
}

function compile(file: string): Compiled {
  const source = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  // The locals handed to a template are built here (below) on a null-prototype root, so ejs need not copy
  // them again to strip a prototype (what `unsafePrototypeLocals` turns off).
  const options = { filename: file, unsafePrototypeLocals: true } as ejs.Options; // ejs 7; not in @types/ejs 3
  return ejs.compile(source, options) as unknown as Compiled;
}

export function viewEngine(): ViewEngine {
  const compiled = new Map<string, Compiled>();

  function template(file: string, cache: boolean): Compiled {
    let fn = compiled.get(file);
    if (!fn) {
      if (!fs.existsSync(file)) throw new Error(`Could not find the include file "${file}"`);
      fn = compile(file);
      if (cache) compiled.set(file, fn);
    }
    return fn;
  }

  /** ejs's shallow copy: own properties, never `__proto__` or `constructor`. */
  function assignLocals(to: Locals, from: Locals): Locals {
    for (const name of Object.keys(from)) {
      if (name !== '__proto__' && name !== 'constructor') to[name] = from[name];
    }
    return to;
  }

  /**
   * The template's locals: its own `include`, bound to its file, in front of what it was given. ejs's
   * generated code runs inside `with (locals)`, so this `include` is the one the template calls. A child
   * inherits its parent's locals through the prototype chain instead of copying them all.
   */
  function run(file: string, parent: Locals, extra: Locals | undefined, cache: boolean): string {
    const fn = template(file, cache);
    const locals = Object.create(parent) as Locals;
    if (extra) assignLocals(locals, extra);
    const include: Include = (name, more) => run(resolveInclude(name, file), locals, more, cache);
    locals.include = include;
    return fn(locals);
  }

  return {
    render(file, given, callback) {
      let html: string;
      try {
        const options = given as Locals;
        const cache = Boolean(options.cache ?? (options.settings as Locals | undefined)?.['view cache']);
        // A null-prototype root: nothing on Object.prototype is ever visible to a template.
        const root = assignLocals(Object.create(null) as Locals, options);
        html = run(file, root, undefined, cache);
      } catch (err) {
        return callback(err as Error);
      }
      callback(null, html);
    },
    preload(dir) {
      const walk = (folder: string): string[] =>
        fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
          const full = path.join(folder, entry.name);
          if (entry.isDirectory()) return walk(full);
          return entry.name.endsWith('.ejs') ? [full] : [];
        });
      for (const file of walk(dir)) compiled.set(file, compile(file));
      return compiled.size;
    },
  };
}
