/** Shared state between the server (which drains on SIGTERM) and the readiness probe. */
export class Lifecycle {
  private draining = false;

  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
