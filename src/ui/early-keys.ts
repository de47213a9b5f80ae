/**
 * Keys typed while the dashboard starts (opening the store, starting the conductor: seconds)
 * are for the dashboard. Until it mounts, the terminal would echo them over the screen and
 * hold them in its line buffer, and Ctrl-C would do nothing once raw mode is on; so stdin goes
 * into raw mode at once, its bytes are kept here, and `release` hands them back to the stream
 * for Ink to read as if they had just been typed.
 */
export interface EarlyKeys {
  /** Puts the kept bytes back on stdin; Ink's raw mode takes over from here. */
  release(): void;
  /** Stops keeping keys and gives the terminal back its normal mode (start-up failed). */
  abandon(): void;
}

interface RawStdin {
  readonly isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  on(event: 'readable', listener: () => void): unknown;
  off(event: 'readable', listener: () => void): unknown;
  read(): unknown;
  unshift(chunk: Buffer): void;
}

const CTRL_C = 0x03;

export function holdEarlyKeys(stdin: RawStdin, onInterrupt: () => void): EarlyKeys {
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return { release() {}, abandon() {} };
  const setRaw = stdin.setRawMode.bind(stdin);
  const kept: Buffer[] = [];
  let done = false;
  // Read the way Ink reads (paused mode: 'readable' and read()), never in flowing mode: a
  // 'data' listener followed by pause() leaves a TTY stream with a read marked in progress and
  // its handle stopped, and Ink then never sees another key. Between release and Ink's own
  // listener, bytes wait in the stream's buffer.
  const stop = () => {
    done = true;
    stdin.off('readable', onReadable);
  };
  function onReadable(): void {
    for (let chunk = stdin.read(); chunk !== null && !done; chunk = stdin.read()) onData(chunk as Buffer | string);
  }
  function onData(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.includes(CTRL_C)) {
      // What Ctrl-C did before raw mode: interrupt the start-up.
      stop();
      setRaw(false);
      onInterrupt();
      return;
    }
    kept.push(bytes);
  }
  setRaw(true);
  stdin.on('readable', onReadable);
  return {
    release() {
      if (done) return;
      stop();
      if (kept.length > 0) stdin.unshift(Buffer.concat(kept));
    },
    abandon() {
      if (done) return;
      stop();
      setRaw(false);
    },
  };
}
