// useReducer whose newest state can be read right after a dispatch, before React draws it: keys that arrive
// together are each routed against the state the key before left (a dialog opened by one key takes the next),
// and all of them are drawn in one frame.
import { useCallback, useRef, useState } from "react";

export interface Latest<S> {
  readonly current: S;
}

export function useLatestReducer<S, A>(reducer: (s: S, a: A) => S, init: () => S): [S, (a: A) => void, Latest<S>] {
  const [state, setState] = useState(init);
  const latest = useRef(state);
  const dispatch = useCallback(
    (a: A) => {
      const next = reducer(latest.current, a);
      if (next !== latest.current) setState((latest.current = next)); // nothing changed: nothing to draw
    },
    [reducer],
  );
  return [state, dispatch, latest];
}

const replace = <S>(_: S, next: S) => next;

/** useState with the same newest-value read. */
export function useLatestState<S>(init: S): [S, (next: S) => void, Latest<S>] {
  return useLatestReducer<S, S>(replace, () => init);
}
