// SPDX-License-Identifier: MIT
import { useSyncExternalStore } from 'react';
import type { DashboardStore } from '../store.js';
import type { DashboardState } from '../state.js';

/**
 * The store's committed snapshot: re-renders at most once per frame interval however many
 * events arrive (the store throttles; React only sees published snapshots).
 */
export function useDashboardState(store: DashboardStore): DashboardState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
