import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.marquee/**', 'sdk/src/database.types.ts', 'supabase/.temp/**'] },
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
);
