// `client generate`: writes synthetic test images (noise, gradient, checkerboard, photo-like),
// as the original init container wrote its random 512×512 image.
import type { Argv, CommandModule } from 'yargs';
import { parseSize, SYNTHETIC_FORMATS, SYNTHETIC_KINDS, type SyntheticFormat, type SyntheticKind } from '../generate/synthetic-kinds.ts';

interface GenerateArgs {
  kind: SyntheticKind;
  size: string;
  format?: SyntheticFormat;
  out?: string;
  'out-dir'?: string;
  count: number;
  seed: number;
  quality?: number;
}

function builder(yargs: Argv): Argv<GenerateArgs> {
  return yargs
    .option('kind', { alias: 'k', choices: SYNTHETIC_KINDS, default: 'noise' as SyntheticKind, describe: 'What the image shows' })
    .option('size', { alias: 's', type: 'string', default: '512x512', describe: 'WIDTHxHEIGHT in pixels' })
    .option('format', { alias: 'f', choices: SYNTHETIC_FORMATS, describe: 'Encoding [default: from --out extension, else png]' })
    .option('out', { alias: 'o', type: 'string', describe: 'File to write (one image)' })
    .option('out-dir', { alias: 'd', type: 'string', describe: 'Folder for a set: <kind>-<seed>.<ext>' })
    .option('count', { alias: 'n', type: 'number', default: 1, describe: 'Images to write; image k uses seed + k, so all differ' })
    .option('seed', { type: 'number', default: 1, describe: 'Seed of the pseudo-random generator: same seed, same image' })
    .option('quality', { type: 'number', describe: 'JPEG/WebP quality 1..100 [default: 80]' })
    .check((argv) => {
      parseSize(argv.size);
      if (!argv.out === !argv['out-dir']) throw new Error('give either --out FILE or --out-dir DIR');
      return true;
    })
    .example('$0 generate --kind noise --size 512x512 --out /data/random.png', 'The original init container: one random 512×512 PNG')
    .example('$0 generate -k photo -s 1920x1080 -f jpeg -n 20 -d images', '20 distinct photo-like JPEGs in images/')
    .example('$0 generate -k checkerboard -o board.webp --seed 7', 'Format from the extension') as unknown as Argv<GenerateArgs>;
}

async function handler(argv: GenerateArgs): Promise<void> {
  try {
    const { width, height } = parseSize(argv.size);
    // Loaded here, not at the top: drawing needs sharp, parsing the command line does not.
    const { generateImages } = await import('../generate/run-generate.ts');
    const written = await generateImages({
      kind: argv.kind,
      width,
      height,
      format: argv.format,
      out: argv.out,
      outDir: argv['out-dir'],
      count: argv.count,
      seed: argv.seed,
      quality: argv.quality,
    });
    // The paths on stdout, one per line, so they can be piped to another command.
    for (const image of written) process.stdout.write(`${image.path}\n`);
    process.stderr.write(`wrote ${written.length} ${argv.kind} image${written.length === 1 ? '' : 's'} of ${width}×${height}\n`);
  } catch (error) {
    process.stderr.write(`histogram-client generate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

/** `histogram-client generate`. */
export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'Write synthetic test images (noise, gradient, checkerboard, photo)',
  builder,
  handler,
};
