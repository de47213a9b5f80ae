import spinners from 'cli-spinners';
import Spinner from 'ink-spinner';

/**
 * ink-spinner takes frames and interval from cli-spinners by name. Its "dots" tick every
 * 80 ms, and every tick makes Ink lay out and write the whole frame again: in a dashboard
 * left open for days that is most of its CPU. The same dots at 500 ms still read as alive, at a fraction of the cost.
 */
const NAME = 'agoraDots';
(spinners as unknown as Record<string, { interval: number; frames: string[] }>)[NAME] = { interval: 500, frames: spinners.dots.frames };

export function SlowSpinner() {
  return <Spinner type={NAME as 'dots'} />;
}
