// What a benchmark must undo, in reverse order of making it: stop the processes it started (by PID,
// through their handles), drop its databases, remove its run folders. Runs once, on success, on error
// and on Ctrl-C / SIGTERM (one isShuttingDown guard, as a server's graceful shutdown has).

type Task = { name: string; run: () => Promise<void> };

const tasks: Task[] = [];
let shuttingDown: Promise<void> | undefined;

/** Registers an undo step; returns a function that runs it now (and removes it from the list). */
export function onCleanup(name: string, run: () => Promise<void>): () => Promise<void> {
  const task = { name, run };
  tasks.push(task);
  return async () => {
    const i = tasks.indexOf(task);
    if (i < 0) return;
    tasks.splice(i, 1);
    await task.run();
  };
}

/** Runs every registered step, newest first; a failing step is reported and the rest still run. */
export function cleanUp(): Promise<void> {
  shuttingDown ??= (async () => {
    while (tasks.length > 0) {
      const task = tasks.pop()!;
      try {
        await task.run();
      } catch (err) {
        console.error(`cleanup: ${task.name} failed: ${(err as Error).message}`);
      }
    }
  })();
  return shuttingDown;
}

/** Runs `main`, then cleans up whatever happened; a signal cleans up and exits 130. */
export function runBenchmark(main: () => Promise<void>): void {
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping what the benchmark started...`);
    void cleanUp().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main()
    .then(
      () => 0,
      (err: unknown) => {
        console.error(err instanceof Error ? (err.stack ?? err.message) : err);
        return 1;
      },
    )
    .then(async (code) => {
      if (interrupted) return;
      await cleanUp();
      process.exit(code);
    });
}
