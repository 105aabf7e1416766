/**
 * One at a time: for work that must not run twice at once (adding an article fetches a page,
 * parses it and embeds it — seconds of CPU and memory each — so a burst of requests must not pile
 * up, and two adds of the same page must not race for its file).
 */
export interface Exclusive {
  /** A function that ends the turn, or undefined when the work is already running. */
  tryEnter(): (() => void) | undefined;
  readonly busy: boolean;
}

export function createExclusive(): Exclusive {
  let busy = false;
  return {
    tryEnter() {
      if (busy) return undefined;
      busy = true;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        busy = false;
      };
    },
    get busy() {
      return busy;
    },
  };
}
