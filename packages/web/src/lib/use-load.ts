import { type DependencyList, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  value: T | undefined;
  error: unknown;
}

/**
 * Runs `load` whenever a dependency changes, keeping the last value while the next one loads (so that a list
 * never blinks), and dropping answers that arrive after a newer request was made.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ value: undefined, error: undefined });
  const latest = useRef(0);
  const run = () => {
    const request = ++latest.current;
    load().then(
      (value) => {
        if (request === latest.current) setState({ value, error: undefined });
      },
      (error: unknown) => {
        if (request === latest.current) setState((s) => ({ value: s.value, error }));
      },
    );
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` depends on.
  useEffect(run, deps);
  return state;
}
