/**
 * Progress for a person watching long work: a line redrawn in place on a terminal, plain lines (at most one
 * every few seconds) when stderr is a file or CI log.
 */
export interface Progress {
  /** Say what is happening now; `detail` may change often and is rate-limited off a terminal. */
  update(phase: string, detail?: string): void;
  done(message: string): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let lastPlain = 0;
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`;
  return {
    update(phase, detail = "") {
      const line = `${label}: ${phase}${detail ? ` — ${detail}` : ""} [${elapsed()}]`;
      if (tty) {
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
      } else if (Date.now() - lastPlain > 5000) {
        stream.write(`${line}\n`);
        lastPlain = Date.now();
      }
    },
    done(message) {
      stream.write(`${tty ? "\r\x1b[2K" : ""}${label}: ${message} [${elapsed()}]\n`);
    },
  };
}
