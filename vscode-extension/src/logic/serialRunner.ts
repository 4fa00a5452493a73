/**
 * Runs one async job at a time. A request that arrives while a job runs is
 * queued; any number of such requests collapse into one more run, so a burst of
 * settings changes costs at most one extra restart, never overlapping ones.
 */
export class SerialRunner {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly job: () => Promise<void>) {}

  /** Resolves when a run that started after this call has finished. */
  request(): Promise<void> {
    if (!this.running) {
      this.running = this.runOnce();
      return this.running;
    }
    if (!this.queued) {
      // Wait for the current run whether it succeeds or fails; its caller sees its error.
      const previous = this.running.catch(() => undefined);
      this.queued = previous.then(() => {
        this.queued = undefined;
        this.running = this.runOnce();
        return this.running;
      });
    }
    return this.queued;
  }

  /** Resolves once no run is in progress or queued (never rejects). */
  async settled(): Promise<void> {
    while (this.queued ?? this.running) {
      await (this.queued ?? this.running)?.catch(() => undefined);
    }
  }

  private async runOnce(): Promise<void> {
    try {
      await this.job();
    } finally {
      // Only the latest run clears the slot; a queued run has already replaced it.
      if (!this.queued) this.running = undefined;
    }
  }
}
