/**
 * npx ts-node --transpile-only bench/cpu-profile.ts FILE.cpuprofile [--top 25]
 *
 * Where a V8 CPU profile (node --cpu-prof; `npm run bench:api -- --cpu-prof` writes finmatch's) spent its
 * samples: self time by package (graphql, type-graphql, @apollo/*, express, typeorm, pg, jose…; finmatch's
 * own code as src/<folder>; Node's internals and garbage collection as such), then the heaviest functions.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

function bucketOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/src\/([^/]+)/.exec(url);
  if (src) return `src/${src[1].replace(/\.ts$/, '')}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url.split('/').slice(-2).join('/');
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  const profile = JSON.parse(fs.readFileSync(positionals[0], 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    const bucket = bucketOf(url, functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${bucket}:${lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const busy = [...buckets.values()].reduce((a, b) => a + b, 0);
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1)} %`;
  const top = Number(values.top);
  process.stdout.write(`busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled\n\nself time by package:\n`);
  for (const [bucket, us] of [...buckets].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us).padStart(7)}  ${bucket}\n`);
  process.stdout.write('\nheaviest functions (self):\n');
  for (const [fn, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us).padStart(7)}  ${fn}\n`);
}

main();
