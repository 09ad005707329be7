// What the helpers open (test databases, knex pools, Redis clients) stays listed here until it is closed,
// so the test environment (test-environment.ts) can close whatever a failed or timed-out set-up left
// behind: the file then ends with its failures instead of keeping jest alive on an open socket.

type Closer = () => Promise<void>;

interface Registry {
  open: Map<Closer, string>;
  pending: Set<Promise<unknown>>;
}

// On the test file's global object, which the environment's teardown reads (one registry per file).
const KEY = '__sisOpenResources';

/** The registry of a test file: its own global object by default, or the one an environment holds. */
export function openResources(global: object = globalThis): Registry {
  const g = global as Record<string, Registry | undefined>;
  return (g[KEY] ??= { open: new Map(), pending: new Set() });
}

/** Lists a resource as open; the returned close runs once (later calls wait for the first) and unlists it. */
export function track(what: string, close: Closer): Closer {
  const registry = openResources();
  let closing: Promise<void> | undefined;
  const once: Closer = () => {
    closing ??= (async () => {
      registry.open.delete(once);
      await close();
    })();
    return closing;
  };
  registry.open.set(once, what);
  return once;
}

/** Lists a set-up still in progress, so a teardown after a hook timeout waits for what it will open. */
export function opening<T>(work: Promise<T>): Promise<T> {
  const registry = openResources();
  registry.pending.add(work);
  const settle = () => registry.pending.delete(work);
  work.then(settle, settle);
  return work;
}

/**
 * Closes everything still open: first waits (bounded) for set-ups in flight, then closes in reverse order
 * of opening. Returns what it had to close, for the environment to report.
 */
export async function closeAll(registry: Registry, waitMs = 30_000): Promise<string[]> {
  if (registry.pending.size > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...registry.pending]),
      new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
  }
  const left = [...registry.open].reverse();
  for (const [close] of left) {
    try {
      await close();
    } catch {
      // best effort: the test already failed, and the CI clean-up drops leftover databases
    }
  }
  return left.map(([, what]) => what);
}
