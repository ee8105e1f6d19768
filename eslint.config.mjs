// ESLint for the whole repository (`npm run lint`, run by .ci/run): typescript-eslint's recommended rules,
// React's rules of hooks on the admin and the React bindings, Node's globals for the plain JavaScript files.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'playground/build/**',
      'playground/.strapi/**',
      'playground/public/**',
      'bench/app/build/**',
      'bench/app/.strapi/**',
      'bench/results/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `any` is kept for database rows and third-party payloads whose shape the code checks itself.
      '@typescript-eslint/no-explicit-any': 'off',
      // The request/response contracts are `declare namespace` blocks, as in Strapi's own plugins.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['**/*.tsx', 'react/src/**/*.ts', 'admin/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Plain JavaScript runs in Node as CommonJS (or ESM for .mjs): Node's globals, require allowed.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The browser client's demo pages and the playground's inline scripts run in a browser.
    files: ['playground/public/**/*.js', '**/*.browser.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  }
);
