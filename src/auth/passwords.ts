// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane), computed on worker threads of
// lower CPU priority (password-workers.ts). Hashes are PHC strings ($argon2id$v=19$m=19456,t=2,p=1$...):
// those written by the `argon2` package before verify the same.
import { defaultHashThreads, type HashOptions, PasswordWorkers } from './password-workers';

const OPTIONS: HashOptions = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// Until the server configures it (server.ts, from PASSWORD_HASH_NICE): normal priority, for the CLI, seeds
// and tests, where nothing else needs the CPU more.
let workers = new PasswordWorkers(defaultHashThreads(), 0);

/** At start-up, from config: how many hashing threads at most, and how much lower their priority. */
export function configurePasswordHashing(options: { threads: number; nice: number }): void {
  const previous = workers;
  workers = new PasswordWorkers(options.threads, options.nice);
  void previous.close();
}

/** Ends the hashing threads (they also end by themselves when idle). */
export function closePasswordHashing(): Promise<void> {
  return workers.close();
}

export function hashPassword(plain: string): Promise<string> {
  return workers.hash(plain, OPTIONS);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await workers.verify(hash, plain);
  } catch {
    return false;
  }
}

/** Verifying against this when the user does not exist keeps response times alike (no enumeration). */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
  return dummyHash;
}
