/**
 * Admission of runs across every session of one runtime: a class on one machine shares its cores, so
 * at most `capacity` job processes run at once and the others wait, first come first served.
 *
 *   enter(onWait)  → a ticket, admitted at once when a slot is free; otherwise it waits, and
 *                    onWait(ahead) says how many tickets are ahead of it, now and whenever that changes
 *   release()      → frees the ticket's slot, or takes it out of the line; the first waiting ticket is
 *                    admitted. Safe to call twice.
 */

/** One run's place: admitted (running) or waiting in line. */
export interface RunTicket {
  /** Resolves when the run may start. Never rejects; a released waiting ticket never resolves. */
  readonly admitted: Promise<void>;
  release(): void;
}

interface Waiting {
  admit(): void;
  onWait(ahead: number): void;
}

/** The runtime-wide line of runs. */
export class RunQueue {
  private running = 0;
  private readonly line: Waiting[] = [];

  /** @param capacity runs that may run at once */
  constructor(readonly capacity: number) {}

  /** Runs admitted and not yet released. */
  get active(): number {
    return this.running;
  }

  /** Runs waiting for a slot. */
  get waiting(): number {
    return this.line.length;
  }

  /** Takes a place: admitted at once, or in line behind those already waiting. */
  enter(onWait: (ahead: number) => void): RunTicket {
    let state: 'waiting' | 'admitted' | 'released' = 'waiting';
    let admit!: () => void;
    const admitted = new Promise<void>((resolve) => (admit = resolve));
    const entry: Waiting = {
      admit: () => {
        state = 'admitted';
        this.running++;
        admit();
      },
      onWait,
    };
    if (this.running < this.capacity && this.line.length === 0) entry.admit();
    else {
      this.line.push(entry);
      onWait(this.line.length - 1);
    }
    return {
      admitted,
      release: () => {
        if (state === 'admitted') {
          this.running--;
          this.admitNext();
        } else if (state === 'waiting') {
          const at = this.line.indexOf(entry);
          if (at >= 0) this.line.splice(at, 1);
          this.tellPositions(at);
        }
        state = 'released';
      },
    };
  }

  private admitNext(): void {
    let moved = false;
    while (this.running < this.capacity && this.line.length > 0) {
      this.line.shift()!.admit();
      moved = true;
    }
    if (moved) this.tellPositions(0);
  }

  /** Tells every waiting ticket from `from` on its new place. */
  private tellPositions(from: number): void {
    for (let i = Math.max(0, from); i < this.line.length; i++) this.line[i]!.onWait(i);
  }
}
