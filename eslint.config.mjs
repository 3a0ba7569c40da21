/**
 * `npm run lint` (run by .ci/run before the tests). Two jobs, kept small on purpose:
 *
 * 1. The boundaries of docs/ARCHITECTURE.md ("Boundaries"), so they hold by themselves:
 *    - the pure rules — the matching engine and its criteria, the slot and need-lifecycle rules, the policy calculators and the ledger plans and accounts — import no ORM or
 *      database driver, no GraphQL, and no service, resolver, entity or GraphQL type of any domain;
 *    - common/ imports no domain (only the domains' `*.messages.ts` tables, which messages.ts spreads in);
 *    - database/ imports of the domains only their entities;
 *    - nothing imports cli/ or main.ts (nor, below the domains, server.ts or schema.ts);
 *    - no import cycles in src/.
 * 2. typescript-eslint's recommended rules (syntax only, no type information), with the project's habits:
 *    `_name` for a value left unused on purpose, and `any` allowed in tests, which read JSON answers.
 *
 * test/lint.test.ts runs these rules on deliberate violations and expects them to bite.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** The domain folders of src/ (STYLE.md "The house"), and cli/, which common/ and database/ may not import. */
const DOMAINS = ['credit', 'demo', 'enterprises', 'events', 'institutions', 'loans', 'matching', 'needs', 'policy', 'privacy', 'stats', 'whitelists', 'cli'];
const DOMAIN_DIR = `(?:\\.\\./)+(?:src/)?(?:${DOMAINS.join('|')})/`;
/** The entry points: nothing imports cli/ or main.ts; below them, nothing imports server.ts or schema.ts either. */
const NOT_ABOVE = { regex: '^\\.\\.?/(?:\\.\\./)*(?:cli/.+|main)$', message: 'Nothing imports cli/ or main.ts: they are entry points (STYLE.md).' };
const ENTRY_POINTS = { regex: '^\\.\\.?/(?:\\.\\./)*(?:cli/.+|main|server|schema)$', message: 'Nothing below the domains imports the entry points (main.ts, server.ts, schema.ts, cli/).' };

const WHY = 'docs/ARCHITECTURE.md "Boundaries"';

/** What the pure rules may not import: they take plain data in and return decisions. */
const PURE_RULES_MAY_NOT_IMPORT = [
  { group: ['typeorm', 'typeorm/*', 'pg', 'pg/*', 'pg-*'], message: `A pure rule takes plain data: no ORM or database driver (${WHY}).` },
  {
    group: ['graphql', 'graphql/*', 'graphql-*', 'type-graphql', 'type-graphql/*', '@apollo/*', '@as-integrations/*', '@escape.tech/*'],
    message: `A pure rule knows no GraphQL (${WHY}).`,
  },
  {
    regex: '\\.(?:service|resolver|entity|type|inputs|enums|loaders)$',
    message: `A pure rule calls no service and reads no entity or GraphQL type: the caller loads the facts and applies the decision (${WHY}).`,
  },
];

export default tseslint.config(
  // test/lint-fixtures/ breaks the rules on purpose; test/lint.test.ts lints it with `ignore: false`.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'schema/**', 'test/lint-fixtures/**'] },
  {
    files: ['**/*.ts', '**/*.mjs'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    linterOptions: {
      // Some tests keep `eslint-disable no-console` lines from before this config; they are harmless.
      reportUnusedDisableDirectives: 'off',
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // type-graphql takes classes as `Function` (resolvers, resolveType): the type is its API, not a shortcut.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // The text checks (INVALID_TEXT, file cells) match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // A later block's no-restricted-imports replaces an earlier one's for its files: each repeats NOT_ABOVE.
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NOT_ABOVE] }] },
  },
  {
    files: ['src/**/*.ts', 'test/lint-fixtures/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/matching/engine/**/*.ts', 'src/matching/criteria/**/*.ts', 'src/matching/slots.ts', 'src/needs/need.lifecycle.ts', 'src/loans/accounts.ts', 'src/policy/**/*.ts', 'src/loans/ledger.ts', 'src/loans/ledger/**/*.ts'],
    // policy.entity/enums/inputs/resolver/service/type are the policy domain's ORM and GraphQL side.
    ignores: ['src/policy/policy.*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...PURE_RULES_MAY_NOT_IMPORT, NOT_ABOVE] }] },
  },
  {
    files: ['src/common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {
            regex: `^${DOMAIN_DIR}(?!.*\\.messages$)`,
            message: `common/ sits below the domains and imports none of them; a domain's message table (*.messages.ts) is the one exception (${WHY}).`,
          },
          ENTRY_POINTS,
        ],
      }],
    },
  },
  {
    files: ['src/database/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: `^${DOMAIN_DIR}(?!.*\\.entity$)`, message: `database/ knows the domains' entities (to register them) and nothing else of them (${WHY}).` },
          ENTRY_POINTS,
        ],
      }],
    },
  },
);
