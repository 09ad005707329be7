// One counter for every factory, so codes and names made in one test file never collide across tables.
let counter = 0;

/** A fresh number, unique in this run: the process id keeps parallel jest workers apart. */
export const next = (): string => `${process.pid % 10000}${String(++counter).padStart(4, '0')}`;

/** A fresh sequence number without the process id, for short codes (section numbers). */
export const nextSeq = (): number => ++counter;

/** A unique marker for names and usernames made in one test. */
export const uniqueTag = (): string => `x${next()}`;

export const uniqueCode = (prefix: string): string => `${prefix}${next()}`;
