// `lnas schema <command>`: the JSON Schema of that command's --config file, generated from the
// schemas behind its flags. Point an editor at it (a "$schema" key in a JSON file, or a
// yaml-language-server modeline in a YAML file) to check config files as they are written.
import { configJsonSchema } from '../../config/json-schema.js';
import { ConfigError } from '../../errors.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { didYouMean } from '../suggest.js';

const USAGE = 'lnas schema <command>   (the JSON Schema of `lnas <command> --config FILE`)';

/** The commands that take a config file, and their sections (set by commands/index.ts, which imports this file). */
let table: () => Readonly<Record<string, Command>> = () => ({});
export const setSchemaCommands = (commands: () => Readonly<Record<string, Command>>): void => { table = commands; };

export const schemaCommand: Command = {
  summary: 'the JSON Schema of a command\'s config file (for editors): lnas schema train > train.schema.json',
  async run(argv) {
    const { help, positionals } = parseArgs(argv, {}, 'schema', {}, undefined, [], { positionals: 'any' });
    const withConfig = Object.entries(table()).filter(([, c]) => c.sections && Object.keys(c.sections).length > 0).map(([n]) => n);
    if (help) {
      console.log(`Usage: ${USAGE}\n\nPrints the JSON Schema (draft 2020-12) of a command's config file {section: {option: value}}, ` +
        `JSON or YAML, with every option's type, range, default and description.\nCommands: ${withConfig.join(', ')}`);
      return 0;
    }
    const [name, ...rest] = positionals;
    if (name === undefined || rest.length > 0) throw new ConfigError(`usage: ${USAGE}; commands: ${withConfig.join(', ')}`, 'schema');
    const command = withConfig.includes(name) ? table()[name] : undefined;
    if (!command?.sections) {
      throw new ConfigError(`\`lnas ${name.slice(0, 40)}\` takes no config file${didYouMean(name, withConfig)}; commands with one: ${withConfig.join(', ')}`, 'schema');
    }
    console.log(JSON.stringify(configJsonSchema(command.sections, { title: `lnas ${name} --config`, id: `lnas:${name}.schema.json` }), null, 2));
    return 0;
  },
};
