// How deeply a parsed JSON body nests, measured without recursion, so a hostile body cannot overflow the
// stack here (or in anything that walks it later: fingerprints, audit images).

/** No form or API body of ours nests beyond a few levels; this leaves ample room. */
export const MAX_BODY_DEPTH = 32;

/** Whether `value` nests objects or arrays more than `max` levels deep (a scalar is depth 0). */
export function nestsDeeperThan(value: unknown, max: number = MAX_BODY_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(node as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
