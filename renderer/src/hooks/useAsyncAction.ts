import { useState } from 'react';
import { errorMessage } from '../api.js';

export interface AsyncAction {
  /** True while an action runs. */
  pending: boolean;
  /** The last failure's message (or one set by the caller, e.g. a validation message). */
  error: string | null;
  setError: (error: string | null) => void;
  /** Runs the action unless one is already pending; resolves to whether it succeeded. */
  run: (action: () => Promise<void>) => Promise<boolean>;
}

/** Pending and error state around one async action at a time (a form's submit, a button's request). */
export function useAsyncAction(): AsyncAction {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<void>): Promise<boolean> {
    if (pending) return false;
    setPending(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setPending(false);
    }
  }

  return { pending, error, setError, run };
}
