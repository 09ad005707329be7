// The waiting room's rules on the in-process store, with a clock the test moves (Redis: tests/services).
import { WaitingRoomService } from '../../../src/waiting-room/waiting-room.service';
import { MemoryWaitingRoomStore } from '../../../src/waiting-room/waiting-room.store';

function room(activeMax: number) {
  let now = 1_000_000;
  const service = new WaitingRoomService(new MemoryWaitingRoomStore(() => now), {
    activeMax,
    idleMs: 60_000,
    queueTtlMs: 30_000,
  });
  return { service, advance: (ms: number) => (now += ms) };
}

describe('waiting room rules', () => {
  it('admits up to the bound, then queues in arrival order', async () => {
    const { service } = room(2);
    expect((await service.enter(1)).admitted).toBe(true);
    expect((await service.enter(2)).admitted).toBe(true);
    expect(await service.enter(3)).toMatchObject({ admitted: false, position: 1 });
    expect(await service.enter(4)).toMatchObject({ admitted: false, position: 2 });
    // Asking again keeps one's place; an admitted student asking again stays in.
    expect(await service.enter(3)).toMatchObject({ admitted: false, position: 1 });
    expect((await service.enter(1)).admitted).toBe(true);
    expect(await service.counts()).toEqual({ active: 2, queued: 2 });
  });

  it('frees a place after inactivity and gives it to the first in line, not to a newcomer', async () => {
    const { service, advance } = room(1);
    await service.enter(1);
    await service.enter(2); // first in line
    advance(50_000);
    await service.enter(2); // heartbeat
    advance(15_000); // 1 has been idle 65 s > 60 s
    expect((await service.enter(3)).admitted).toBe(false);
    expect((await service.enter(2)).admitted).toBe(true);
    expect(await service.enter(3)).toMatchObject({ admitted: false, position: 1 });
  });

  it('keeps an admission alive while the student keeps selecting (a sliding expiry)', async () => {
    const { service, advance } = room(1);
    await service.enter(1);
    for (let i = 0; i < 5; i++) {
      advance(40_000);
      expect((await service.enter(1)).admitted).toBe(true);
    }
    expect((await service.enter(2)).admitted).toBe(false);
  });

  it('drops a place whose page stopped asking, so the next in line moves up', async () => {
    const { service, advance } = room(1);
    await service.enter(1);
    await service.enter(2);
    await service.enter(3);
    advance(20_000);
    await service.enter(3); // 3 keeps asking, 2 left
    advance(15_000);
    expect(await service.enter(3)).toMatchObject({ admitted: false, position: 1 });
    expect(await service.counts()).toEqual({ active: 1, queued: 1 });
  });

  it('gives a place up at once when its student leaves (signs out), admitted or in line', async () => {
    const { service } = room(1);
    await service.enter(1);
    await service.enter(2);
    await service.enter(3);
    await service.leave(2); // in line: 3 moves up
    expect(await service.enter(3)).toMatchObject({ admitted: false, position: 1 });
    await service.leave(1); // admitted: the first in line comes in, no idle wait
    expect((await service.enter(3)).admitted).toBe(true);
    expect(await service.counts()).toEqual({ active: 1, queued: 0 });
    await service.leave(99); // never there: nothing changes
    expect(await service.counts()).toEqual({ active: 1, queued: 0 });
  });

  it('is off with a bound of 0', () => {
    expect(room(0).service.enabled).toBe(false);
  });
});
