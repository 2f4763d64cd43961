// SPDX-License-Identifier: MIT
// The import table of DESIGN.md, enforced with Nx module-boundary tags. Every package carries
// exactly one `scope:*` tag in its package.json ("nx": { "tags": [...] }).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const only = (tag, ...allowed) => ({ sourceTag: `scope:${tag}`, onlyDependOnLibsWithTags: allowed.map((a) => `scope:${a}`) });

export default [
  { ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', '**/.nx/**', 'runs/**', 'docs/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            only('numeric'),
            only('parallel', 'numeric'),
            only('data', 'numeric'),
            only('tensor-core', 'numeric', 'parallel'),
            only('hessian-native', 'numeric'),
            only('landscape', 'numeric'),
            only('sampler', 'numeric', 'parallel', 'landscape'),
            // The dashboard may name sampler types; the no-restricted-imports rule below keeps
            // that to `import type`.
            only('dashboard', 'numeric', 'landscape', 'sampler'),
            only('cli', 'numeric', 'parallel', 'data', 'tensor-core', 'hessian-native', 'landscape', 'sampler', 'dashboard'),
            only('e2e', 'numeric', 'parallel', 'data', 'tensor-core', 'hessian-native', 'landscape', 'sampler', 'dashboard', 'cli'),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['packages/dashboard/**/*.ts', 'packages/dashboard/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: '@lossscape/sampler', allowTypeImports: true, message: 'The dashboard may import sampler types only (DESIGN.md).' }] },
      ],
    },
  },
  {
    // Test configs share the root base file by relative path; that is not a package import.
    files: ['**/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Libraries never print (STYLE R12); the CLI, tools and tests may.
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx'],
    ignores: ['packages/cli/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-console': 'error' },
  },
  { plugins: { '@typescript-eslint': tseslint.plugin } },
];
