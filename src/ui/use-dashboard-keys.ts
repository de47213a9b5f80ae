import { useInput, useStdin } from 'ink';
import { useRef, useState, type MutableRefObject } from 'react';
import type { DashboardActions } from './dashboard-props.js';
import { INITIAL_UI, interpretKey, splitKeyChunk, type Command, type KeyContext, type UiState } from './key-map.js';

function run(command: Command, actions: DashboardActions): void {
  switch (command.type) {
    case 'retry':
      return actions.retry(command.cellId);
    case 'retry-all':
      return actions.retryAllFailed();
    case 'cancel':
      return actions.cancel(command.cellId);
    case 'reset':
      return actions.reset(command.cellId, command.stage);
    case 'toggle-pause':
      return actions.togglePause();
    case 'quit':
      return actions.quit();
    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Keys to UI state and actions. State lives in a ref as well as in React state because
 * several keys can arrive in one stdin chunk, before React re-renders.
 */
export function useDashboardKeys(actions: DashboardActions, context: MutableRefObject<KeyContext>): UiState {
  const [ui, setUi] = useState<UiState>(INITIAL_UI);
  const current = useRef(ui);
  const { isRawModeSupported } = useStdin();
  useInput(
    (chunk, chunkKey) => {
      let next = current.current;
      for (const { input, key } of splitKeyChunk(chunk, chunkKey)) {
        const result = interpretKey(next, input, key, context.current);
        next = result.state;
        if (!result.command) continue;
        try {
          run(result.command, actions);
        } catch (err) {
          const text = `${result.command.type} failed: ${err instanceof Error ? err.message : String(err)}`;
          next = { ...next, message: { text, tone: 'warn' } };
        }
      }
      current.current = next;
      setUi(next);
    },
    // Without a TTY on stdin Ink cannot enter raw mode and useInput would throw.
    { isActive: Boolean(isRawModeSupported) },
  );
  return ui;
}
