import { useEffect, useState } from 'react';
import type { AnalysisModel } from '../core/analysis/run-analysis.js';
import type { RunSnapshot } from '../core/snapshot.js';
import type { DashboardActions } from './dashboard-props.js';

/** What the analyses view shows: nothing asked yet, the model, or why the last ask failed. */
export type AnalysesState =
  { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly model: AnalysisModel } | { readonly kind: 'failed'; readonly error: string };

/**
 * The analyses while their view is open, asked again on each new snapshot. They read every
 * sampled instance's metric (O(instances), not the poll's O(cells)), so they are never asked
 * for while another view shows; the caller throttles and caches them (cli/analysis-cache.ts)
 * and loads their linear algebra on the first ask, not at start-up: hence a promise.
 */
export function useAnalyses(open: boolean, actions: DashboardActions, run: RunSnapshot): AnalysesState {
  const [state, setState] = useState<AnalysesState>({ kind: 'loading' });
  useEffect(() => {
    if (!open) return;
    let live = true;
    actions.loadAnalyses().then(
      (model) => live && setState({ kind: 'ready', model }),
      // A store mid-migration or locked: said in the view, asked again on the next snapshot.
      (e: unknown) => live && setState({ kind: 'failed', error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [open, actions, run]);
  return state;
}
