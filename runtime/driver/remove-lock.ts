// IO_REMOVE_LOCK: every request holds the lock while it is in the driver; removal waits for all of
// them to drain and refuses new ones meanwhile.

export class RemoveLock {
  private count = 1; // the device's own reference, dropped by releaseAndWait
  private removing = false;
  private drained: (() => void) | null = null;
  private readonly done: Promise<void>;
  constructor() {
    this.done = new Promise((res) => (this.drained = res));
  }
  /** False once removal started: the caller must fail the request (Status.DeletePending). */
  acquire(): boolean {
    if (this.removing) return false;
    this.count++;
    return true;
  }
  release(): void {
    if (this.count <= 0) throw new Error('RemoveLock released more often than acquired');
    if (--this.count === 0) this.drained!();
  }
  /** Holders, not counting the device's own reference. */
  get held(): number {
    return this.removing ? this.count : this.count - 1;
  }
  get isRemoving(): boolean {
    return this.removing;
  }
  /** IoReleaseRemoveLockAndWait: refuses new holders and resolves when the last one released. */
  releaseAndWait(): Promise<void> {
    if (!this.removing) {
      this.removing = true;
      this.release();
    }
    return this.done;
  }
}
