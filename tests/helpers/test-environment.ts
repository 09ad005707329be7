// jest's node environment plus two duties:
// - a project's `testTimeout` counts (jest-circus reads only the command line's, 5 s by default): the
//   larger of the two is every test's and hook's timeout unless the file sets its own;
// - when a test file has run its last hook, whatever the helpers opened and nobody closed
//   (open-resources.ts) is closed. A set-up that timed out or threw would otherwise leave a pool or a
//   Redis socket open and jest would never exit; a file that forgets to close fails here with the name
//   of what it left open, so the leak is fixed where it is made.
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';
import { closeAll, openResources } from './open-resources';

// What jest.setTimeout sets and jest-circus reads at the start of a file's run.
const TEST_TIMEOUT = Symbol.for('TEST_TIMEOUT_SYMBOL');

export default class ClosingEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const timeout = Math.max(config.projectConfig.testTimeout ?? 0, config.globalConfig.testTimeout ?? 0);
    if (timeout > 0) (this.global as unknown as Record<symbol, number>)[TEST_TIMEOUT] = timeout;
  }

  async handleTestEvent(event: Circus.AsyncEvent, state: Circus.State): Promise<void> {
    if (event.name !== 'run_finish') return;
    const left = await closeAll(openResources(this.global));
    if (left.length > 0)
      state.unhandledErrors.push(
        new Error(`left open after the file's last hook (closed now, close it in afterAll): ${left.join('; ')}`),
      );
  }
}
