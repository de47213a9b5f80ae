import { render } from 'ink-testing-library';
import type { AnalysisModel } from '../../core/analysis/run-analysis.js';
import type { CellDetail, RunSnapshot } from '../../core/snapshot.js';
import { Dashboard } from '../dashboard.js';
import type { DashboardProps } from '../dashboard-props.js';
import { FakeSource, detailFor, recordActions } from './fixtures.js';
import { waitFor } from './wait-for.js';

export interface DashboardHarness {
  readonly source: FakeSource;
  readonly actions: ReturnType<typeof recordActions>;
  frame(): string;
  /** Lines of the last frame. */
  lines(): string[];
  /** Writes a key and waits until the frame satisfies `until` (when given). */
  press(key: string, until?: (frame: string) => boolean, what?: string): Promise<void>;
  waitForText(text: string): Promise<void>;
  unmount(): void;
}

/** Renders the Dashboard over a FakeSource with recording actions; resolves once keys are live. */
export async function renderDashboard(
  run: RunSnapshot,
  props: Partial<Omit<DashboardProps, 'source' | 'actions'>> = {},
  detail: (id: number) => CellDetail | undefined = (id) => {
    const c = run.cells.find((x) => x.id === id);
    return c ? detailFor(c) : undefined;
  },
  analyses?: () => AnalysisModel | undefined,
): Promise<DashboardHarness> {
  const source = new FakeSource(run);
  const actions = recordActions(detail, analyses);
  // Still spinners by default: frames are compared as text; the spinner has its own test.
  const inst = render(<Dashboard source={source} actions={actions} width={120} height={30} spinnerMs={0} {...props} />);
  const frame = () => inst.lastFrame() ?? '';
  // useInput attaches its stdin listener in an effect, after the first frame.
  await waitFor(() => inst.stdin.listenerCount('readable') > 0, 'the input handler');
  return {
    source,
    actions,
    frame,
    lines: () => frame().split('\n'),
    async press(key, until, what) {
      inst.stdin.write(key);
      if (until) await waitFor(() => until(frame()), what ?? `the frame after ${JSON.stringify(key)}`);
    },
    waitForText: (text) => waitFor(() => frame().includes(text), JSON.stringify(text)),
    unmount: () => inst.unmount(),
  };
}
