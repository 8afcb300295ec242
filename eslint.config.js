import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.marquee/**', 'sdk/src/database.types.ts', 'supabase/.temp/**', 'sdk/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Deno code: its globals come from the Deno runtime.
    files: ['functions/**/*.ts', 'local/functions/worker.ts'],
    languageOptions: { globals: { Deno: 'readonly' } },
  },
  {
    // Plain Node scripts (the SDK's build and checks).
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    // The consumer check's CommonJS app: require() is the point of it.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
