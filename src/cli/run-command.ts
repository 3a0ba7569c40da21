/** How every command ends (import, migrate): a small module, so a command that needs only this loads nothing else. */
import { ConfigError } from '../config';

/** Runs a command's main and exits with its status (2 on a crash, with the stack on stderr; a configuration problem without it). */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(2);
    },
  );
}
