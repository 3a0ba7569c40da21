/** Writes schema/schema.graphql from the code (npm run schema:emit); a test fails when it is stale. */
import fs from 'node:fs';
import path from 'node:path';
import { finmatchSchema, printedSchema } from '../schema';

async function main(): Promise<void> {
  const file = path.resolve(__dirname, '../../schema/schema.graphql');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, printedSchema(await finmatchSchema()));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
