// Stop tokens (std::stop_source / std::stop_token / stop_callback). A task's token comes from
// whoever awaits or starts it; awaiters subscribe to complete as stopped when a stop is requested.

export interface StopCallback {
  (): void;
}

/** A subscription made with StopToken.subscribe; unsubscribe() is idempotent. */
export class StopRegistration {
  /** @internal */ $src: StopSource | null;
  /** @internal */ readonly $cb: StopCallback;
  constructor(src: StopSource | null, cb: StopCallback) {
    this.$src = src;
    this.$cb = cb;
  }
  unsubscribe(): void {
    const s = this.$src;
    if (s !== null) {
      this.$src = null;
      s.$regs.delete(this);
    }
  }
}

const inert = /* @__PURE__ */ new StopRegistration(null, () => {});

export class StopToken {
  /** @internal */ readonly $src: StopSource | null;
  constructor(src: StopSource | null) {
    this.$src = src;
  }
  get stopRequested(): boolean {
    return this.$src !== null && this.$src.stopRequested;
  }
  /** False for a token no source can ever stop (neverStopToken). */
  get stopPossible(): boolean {
    return this.$src !== null;
  }
  /**
   * Calls `cb` once when a stop is requested (at once, inside this call, if it already was).
   * Returns the registration to unsubscribe when the awaited operation completes first.
   */
  subscribe(cb: StopCallback): StopRegistration {
    const s = this.$src;
    if (s === null) return inert;
    if (s.stopRequested) {
      cb();
      return inert;
    }
    const r = new StopRegistration(s, cb);
    s.$regs.add(r);
    return r;
  }
}

export class StopSource {
  stopRequested = false;
  /** @internal */ readonly $regs = new Set<StopRegistration>();
  readonly token: StopToken = new StopToken(this);
  /** Requests a stop; returns false when one was already requested. Callbacks run inside this call. */
  requestStop(): boolean {
    if (this.stopRequested) return false;
    this.stopRequested = true;
    // Callbacks may unsubscribe others; iterate over a snapshot and skip the ones removed meanwhile.
    const regs = [...this.$regs];
    this.$regs.clear();
    let firstError: unknown = null;
    for (const r of regs) {
      if (r.$src === null) continue;
      r.$src = null;
      try {
        r.$cb();
      } catch (e) {
        firstError ??= e;
      }
    }
    if (firstError !== null) throw firstError;
    return true;
  }
}

/** The token of a task nobody can stop. */
export const neverStopToken: StopToken = /* @__PURE__ */ new StopToken(null);

/**
 * A source that also stops when `parent` does (for structured children such as whenAll's).
 * Call `unlink()` once the children are done so the parent does not keep the child alive.
 */
export class LinkedStopSource extends StopSource {
  private readonly link: StopRegistration;
  constructor(parent: StopToken) {
    super();
    this.link = parent.subscribe(() => this.requestStop());
  }
  unlink(): void {
    this.link.unsubscribe();
  }
}
