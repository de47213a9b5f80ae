import spinners from 'cli-spinners';
import { useEffect, useState } from 'react';

/** ink-spinner's default spinner ("dots" from cli-spinners): one column wide per frame. */
export const SPINNER_FRAMES: readonly string[] = spinners.dots.frames;

/**
 * ink-spinner's own 80 ms would redraw the whole screen 12 times a second, for days: most
 * of the dashboard's CPU. Twice a second still reads as alive.
 */
export const SPINNER_INTERVAL_MS = 500;

/**
 * The current spinner frame, from one clock shared by every spinner on screen (the header,
 * each running cell, the detail view), so a tick is one redraw, not one per spinner as with
 * an ink-spinner per cell. Undefined while `active` is false or `intervalMs` is 0 (still).
 */
export function useSpinnerFrame(active: boolean, intervalMs: number = SPINNER_INTERVAL_MS): string | undefined {
  const [tick, setTick] = useState(0);
  const on = active && intervalMs > 0;
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setTick((t) => (t + 1) % SPINNER_FRAMES.length), intervalMs);
    return () => clearInterval(timer);
  }, [on, intervalMs]);
  return on ? SPINNER_FRAMES[tick] : undefined;
}
