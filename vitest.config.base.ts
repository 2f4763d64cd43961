// SPDX-License-Identifier: MIT
// Shared vitest settings: workspace packages resolve to their TypeScript sources through the
// "@lossscape/source" export condition, so a test never runs against a stale dist/.
import { defineConfig } from 'vitest/config';

export const sourceConditions = ['@lossscape/source', 'import', 'module', 'node', 'default'];

export function packageTestConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions: sourceConditions },
    // Vitest passes these to the test processes as --conditions, which Node applies to require()
    // too: with 'import' among them, a CommonJS package (node-postgres) would require() the ESM
    // entry of its dependencies (pg-pool). Vite adds 'import' / 'require' by itself.
    ssr: { resolve: { conditions: sourceConditions.filter((c) => c !== 'import') } },
    test: {
      include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      reporters: ['default'],
    },
  });
}
