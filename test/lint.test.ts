/**
 * The boundary rules of eslint.config.mjs bite (docs/ARCHITECTURE.md "Boundaries"): ESLint's Node API lints
 * deliberate violations placed, as text, at paths inside src/ — so the real globs of the config are what is
 * tested — and a real two-file cycle (test/lint-fixtures/cycle/). Beside each violation, the same import
 * where the boundary allows it, so a rule that refused everything would fail too.
 *
 * ESLint loads its flat config with a dynamic import, which jest's module system does not run: the probe
 * runs in a child node process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..');

interface Probe {
  /** Where the text is linted as if it lived (relative to the repository). */
  file: string;
  code: string;
}

const PROBE_SCRIPT = `
import { ESLint } from 'eslint';
const { texts, files } = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd(), ignore: false });
const out = {};
const keep = (r) => r.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
for (const { file, code } of texts) out[file] = keep((await eslint.lintText(code, { filePath: file }))[0]);
for (const r of await eslint.lintFiles(files)) out[r.filePath] = keep(r);
console.log(JSON.stringify(out));
`;

type Findings = Record<string, { rule: string | null; message: string }[]>;

function lint(texts: Probe[], files: string[]): Findings {
  const input = JSON.stringify({ texts: texts.map((t) => ({ ...t, file: path.join(ROOT, t.file) })), files: files.map((f) => path.join(ROOT, f)) });
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE_SCRIPT, input], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const found = JSON.parse(stdout) as Findings;
  return Object.fromEntries(Object.entries(found).map(([file, messages]) => [path.relative(ROOT, file), messages]));
}

const rulesOf = (findings: Findings, file: string) => (findings[file] ?? []).map((m) => m.rule);

describe('npm run lint: the boundary rules', () => {
  const probes: Record<string, Probe> = {
    engineOrm: { file: 'src/matching/engine/lint-probe-orm.ts', code: `import { DataSource } from 'typeorm';\nexport const db: DataSource | null = null;\n` },
    engineGraphql: { file: 'src/matching/engine/lint-probe-graphql.ts', code: `import { GraphQLError } from 'graphql';\nexport const e = new GraphQLError('x');\n` },
    engineService: { file: 'src/matching/engine/lint-probe-service.ts', code: `import { needById } from '../../needs/need.service';\nexport const f = needById;\n` },
    calculatorGraphql: { file: 'src/policy/lint-probe.ts', code: `import { Field } from 'type-graphql';\nexport const f = Field;\n` },
    calculatorEntity: { file: 'src/policy/kinds/lint-probe.ts', code: `import { LoanEntity } from '../../loans/loan.entity';\nexport const l = LoanEntity;\n` },
    ledgerDriver: { file: 'src/loans/ledger.ts', code: `import { Pool } from 'pg';\nexport const p = Pool;\n` },
    commonDomain: { file: 'src/common/lint-probe.ts', code: `import { bestFirstSql } from '../matching/match.rules';\nexport const s = bestFirstSql;\n` },
    databaseService: { file: 'src/database/lint-probe.ts', code: `import { postNeed } from '../needs/need.service';\nexport const p = postNeed;\n` },
    domainCli: { file: 'src/needs/lint-probe-cli.ts', code: `import { runImport } from '../cli/import-command';\nexport const r = runImport;\n` },
    engineCli: { file: 'src/matching/engine/lint-probe-cli.ts', code: `import { main } from '../../main';\nexport const m = main;\n` },
    // Allowed: a domain's service may use the ORM; the engine may read another domain's pure rules;
    // common/ may spread a domain's message table; database/ registers the domains' entities.
    serviceOrm: { file: 'src/needs/lint-probe.service.ts', code: `import { DataSource } from 'typeorm';\nexport const db: DataSource | null = null;\n` },
    enginePureRule: { file: 'src/matching/engine/lint-probe-pure.ts', code: `import { tierRank } from '../../whitelists/tier';\nexport const t = tierRank;\n` },
    commonMessages: { file: 'src/common/lint-probe-messages.ts', code: `import { CLAIM_MESSAGES } from '../enterprises/claim.messages';\nexport const m = CLAIM_MESSAGES;\n` },
    databaseEntity: { file: 'src/database/lint-probe-entity.ts', code: `import { LoanEntity } from '../loans/loan.entity';\nexport const l = LoanEntity;\n` },
  };
  const cycle = ['test/lint-fixtures/cycle/a.ts', 'test/lint-fixtures/cycle/b.ts'];
  let findings: Findings;

  beforeAll(() => {
    findings = lint(Object.values(probes), cycle);
  }, 120_000);

  it.each([
    ['the engine imports no ORM', 'engineOrm', /no ORM/],
    ['the engine imports no GraphQL', 'engineGraphql', /no GraphQL/],
    ['the engine calls no other domain\'s service', 'engineService', /no service/],
    ['a policy calculator imports no GraphQL', 'calculatorGraphql', /no GraphQL/],
    ['a policy rule kind reads no entity', 'calculatorEntity', /no entity/],
    ['the ledger plans import no database driver', 'ledgerDriver', /no ORM or database driver/],
    ['common/ imports no domain', 'commonDomain', /common\/ sits below the domains/],
    ['database/ imports no domain service', 'databaseService', /database\/ knows the domains' entities/],
    ['a domain imports no command (cli/)', 'domainCli', /Nothing imports cli\/ or main.ts/],
    ['the engine imports no entry point, as any module', 'engineCli', /Nothing imports cli\/ or main.ts/],
  ])('%s', (_title, probe, message) => {
    const messages = findings[probes[probe].file];
    expect(messages.map((m) => m.rule)).toEqual(['no-restricted-imports']);
    expect(messages[0].message).toMatch(message);
  });

  it('allows the same imports where the boundaries do', () => {
    for (const probe of ['serviceOrm', 'enginePureRule', 'commonMessages', 'databaseEntity']) expect({ probe, found: findings[probes[probe].file] }).toEqual({ probe, found: [] });
  });

  it('refuses an import cycle', () => {
    for (const file of cycle) expect(rulesOf(findings, file)).toEqual(['import-x/no-cycle']);
  });
});

/**
 * import-x/no-cycle skips `import type`, but a type-only edge still ties the two modules' layers together
 * (the request context once imported the refresh queue's type, closing a ten-file cycle through common/ and
 * database/). This walks src/ with TypeScript's parser and counts every import.
 */
describe('src/ has no import cycle, counting type-only imports', () => {
  /** Each src file's relative imports that resolve to a src file. */
  function importGraph(): Map<string, string[]> {
    const files = fs.readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, 'src', f));
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      const targets = source.statements
        .filter((s): s is ts.ImportDeclaration | ts.ExportDeclaration => (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && !!s.moduleSpecifier)
        .map((s) => (s.moduleSpecifier as ts.StringLiteral).text)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => path.resolve(path.dirname(file), spec))
        .flatMap((base) => [`${base}.ts`, path.join(base, 'index.ts')].filter((candidate) => files.includes(candidate)).slice(0, 1));
      graph.set(file, targets);
    }
    return graph;
  }

  /** The import paths that lead from a file back to itself (depth-first; each file explored once). */
  function cycles(graph: Map<string, string[]>): string[][] {
    const found: string[][] = [];
    const done = new Set<string>();
    const onPath: string[] = [];
    const visit = (file: string) => {
      const at = onPath.indexOf(file);
      if (at >= 0) return void found.push([...onPath.slice(at), file].map((f) => path.relative(ROOT, f)));
      if (done.has(file)) return;
      onPath.push(file);
      for (const next of graph.get(file) ?? []) visit(next);
      onPath.pop();
      done.add(file);
    };
    for (const file of graph.keys()) visit(file);
    return found;
  }

  it('finds none', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });

  it('would find the fixture cycle', () => {
    const a = path.join(ROOT, 'test/lint-fixtures/cycle/a.ts');
    const b = path.join(ROOT, 'test/lint-fixtures/cycle/b.ts');
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['test/lint-fixtures/cycle/a.ts', 'test/lint-fixtures/cycle/b.ts', 'test/lint-fixtures/cycle/a.ts']]);
  });
});
