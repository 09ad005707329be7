// What a test file leaves open is closed at its end (tests/helpers/test-environment.ts), even when the
// set-up that opens it is still running after its hook timed out.
import { closeAll, opening, openResources, track } from '../../helpers/open-resources';

function fakeGlobal(): object {
  return {};
}

describe('open test resources', () => {
  it('closes what was left open, newest first, each once, and names it', async () => {
    const registry = openResources(fakeGlobal());
    const closed: string[] = [];
    const g = globalThis as unknown as { __sisOpenResources?: unknown };
    const saved = g.__sisOpenResources;
    g.__sisOpenResources = registry;
    try {
      const first = track('the first pool', async () => void closed.push('first'));
      track('the second pool', async () => void closed.push('second'));
      const third = track('a Redis client', async () => void closed.push('third'));
      await third(); // closed by its owner: not closed again, not reported
      await third();
      expect(await closeAll(registry)).toEqual(['the second pool', 'the first pool']);
      await first();
      expect(closed).toEqual(['third', 'second', 'first']);
      expect(registry.open.size).toBe(0);
    } finally {
      g.__sisOpenResources = saved;
    }
  });

  it('waits for a set-up still in flight (a timed-out beforeAll), then closes what it opened', async () => {
    const registry = openResources(fakeGlobal());
    const g = globalThis as unknown as { __sisOpenResources?: unknown };
    const saved = g.__sisOpenResources;
    g.__sisOpenResources = registry;
    let closed = false;
    try {
      void opening(
        new Promise<void>((resolve) =>
          setTimeout(() => {
            track('a late database', async () => void (closed = true));
            resolve();
          }, 50),
        ),
      );
      expect(await closeAll(registry)).toEqual(['a late database']);
      expect(closed).toBe(true);
    } finally {
      g.__sisOpenResources = saved;
    }
  });

  it('gives up waiting for a set-up that never ends, after the bound', async () => {
    const registry = openResources(fakeGlobal());
    registry.pending.add(new Promise(() => {}));
    const started = Date.now();
    expect(await closeAll(registry, 100)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
