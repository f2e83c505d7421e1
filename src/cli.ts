import { parseCliArgs } from './args.js';
import { doctorHelpText } from './doctor/help.js';
import { CliError } from './errors.js';
import { addHelpText, extractHelpText, helpText, removeHelpText, renderHelpText, upgradeHelpText } from './help.js';
import { generatorVersion } from './version.js';

/** Entry point: --help and --version answer without loading anything heavy. */
async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.values.help) {
    const version = generatorVersion();
    const help = {
      doctor: doctorHelpText,
      add: addHelpText,
      remove: removeHelpText,
      upgrade: upgradeHelpText,
      extract: extractHelpText,
      render: renderHelpText,
      create: helpText,
    }[args.command];
    process.stdout.write(help(version));
    return 0;
  }
  if (args.values.version) {
    process.stdout.write(`${generatorVersion()}\n`);
    return 0;
  }
  if (args.command === 'doctor') {
    const { doctor, wantsColours } = await import('./doctor/index.js');
    return doctor(args, {
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      colours: wantsColours(process.stdout.isTTY === true, process.env),
    });
  }
  if (args.command === 'add' || args.command === 'remove') {
    const ctx = { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
    if (args.command === 'add') {
      const interactiveTerminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
      return (await import('./add/index.js')).add(args, { ...ctx, interactiveTerminal, env: process.env });
    }
    return (await import('./add/remove.js')).remove(args, ctx);
  }
  if (args.command === 'upgrade') {
    const { upgrade } = await import('./upgrade/index.js');
    return upgrade(args, { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
  }
  if (args.command === 'extract') {
    const { extract } = await import('./extract/index.js');
    return extract(args, { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
  }
  if (args.command === 'render') {
    const { render } = await import('./upgrade/render-recorded.js');
    return render(args, { cwd: process.cwd(), stdout: process.stdout });
  }
  const { create } = await import('./create.js');
  return create(args, {
    cwd: process.cwd(),
    env: process.env,
    interactiveTerminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

// `… | head` closes the pipe early: stop quietly, as other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(
      `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
