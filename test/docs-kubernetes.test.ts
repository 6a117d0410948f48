// The docs name only things that exist: the commands in docs/kubernetes.md only resources of the
// rendered base and its namespaces; the README and docs/ only existing image tags, files under
// k8s/ and scripts/ and the Ingress host; and every client command line in them parses with
// the client's own yargs definition. The Markdown is read with marked's lexer, the shell lines
// split into words by Python's shlex (POSIX rules), not by patterns written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { marked, type Tokens } from 'marked';
import { Ingress, type IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Namespace, type INamespace } from 'kubernetes-models/v1/Namespace';
import { kustomizeUnavailable, readYamlDocuments, renderKustomization, type Resource } from './helpers/k8s-render.ts';
import { parseClientArgs } from './helpers/k8s-cli-parse.ts';

const KUBERNETES_DOC = 'docs/kubernetes.md';
const ALL_DOCS = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Lines of the sh/bash code blocks of `markdown` (nested ones too), continuations joined as the shell does, comments dropped. */
function shellLines(markdown: string): string[] {
  const blocks: string[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === 'code' && ['sh', 'bash'].includes((token as Tokens.Code).lang ?? '')) blocks.push((token as Tokens.Code).text);
  });
  return blocks
    .flatMap((block) => block.replace(/\\\n/g, '').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Each line's words up to its first operator (| > ; &) or comment, split by Python's shlex. */
function shellWords(lines: string[]): string[][] {
  const script =
    'import json, shlex, sys\n' +
    'def words(line):\n' +
    '    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)\n' +
    '    lexer.whitespace_split = True\n' +
    '    out = []\n' +
    '    for w in lexer:\n' +
    '        if w and all(c in "|&;<>()" for c in w): break\n' +
    '        out.append(w)\n' +
    '    return out\n' +
    'print(json.dumps([words(l) for l in json.load(sys.stdin)]))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(lines), encoding: 'utf8' })) as string[][];
}

const text = readFileSync(KUBERNETES_DOC, 'utf8');
const resources = kustomizeUnavailable ? [] : renderKustomization('k8s');
/** The rendered resource `kind`/`name`, or a failure naming what is there. */
function findResource(kind: string, name: string | undefined): Resource {
  const found = resources.find((r) => r.kind === kind && r.metadata.name === name);
  return found ?? assert.fail(`no ${kind}/${name} among ${resources.map((r) => `${r.kind}/${r.metadata.name}`).join(', ')}`);
}
const KINDS: Record<string, string> = {
  deploy: 'Deployment',
  deployment: 'Deployment',
  job: 'Job',
  hpa: 'HorizontalPodAutoscaler',
  svc: 'Service',
  service: 'Service',
  pdb: 'PodDisruptionBudget',
  configmap: 'ConfigMap',
  ingress: 'Ingress',
};
const commands = shellLines(text);

test("every namespace in the commands is the base's or ingress-nginx's", { skip: kustomizeUnavailable }, () => {
  const namespace = resources.find((r): r is INamespace & Resource => Namespace.is(r))!.metadata.name;
  for (const m of text.matchAll(/(?:-n|--namespace) ([\w-]+)/g)) assert.ok([namespace, 'ingress-nginx'].includes(m[1]!), m[0]);
});

test("every kind/name in a command exists in the rendered base (or is ingress-nginx's controller)", { skip: kustomizeUnavailable }, () => {
  for (const line of commands) {
    for (const m of line.matchAll(/(?<![\w/.-])(deploy|deployment|job|hpa|svc|service|pdb|configmap|ingress)\/([\w-]+)/g)) {
      if (line.includes('-n ingress-nginx')) {
        assert.match(m[2]!, /^ingress-nginx-controller$/, line);
        continue;
      }
      findResource(KINDS[m[1]!]!, m[2]);
    }
    for (const m of line.matchAll(/\b(?:delete|patch|get|describe) (deploy|deployment|job|hpa|svc|service|pdb|configmap|ingress) ([\w-]+)/g))
      findResource(KINDS[m[1]!]!, m[2]);
    for (const m of line.matchAll(/job-name=([\w-]+)/g)) findResource('Job', m[1]);
    for (const m of line.matchAll(/-l app\.kubernetes\.io\/name=([\w-]+)/g))
      assert.ok(
        resources.some((r) => r.metadata.labels?.['app.kubernetes.io/name'] === m[1]),
        m[0],
      );
  }
});

test('image tags, files and the Ingress host in the README and docs/ match the repository', { skip: kustomizeUnavailable }, () => {
  const text = ALL_DOCS.map((file) => readFileSync(file, 'utf8')).join('\n');
  const kustomization = readYamlDocuments('k8s/base/kustomization.yaml')[0] as unknown as { images: { name: string; newTag: string }[] };
  const images = kustomization.images.map((i) => `${i.name}:${i.newTag}`);
  for (const m of text.matchAll(/\bhistogram-(?:server|client):[\w.-]+/g)) assert.ok(images.includes(m[0]), m[0]);
  for (const m of text.matchAll(/(?<![\w/.])((?:k8s|scripts)\/[\w./-]*[\w/]|Dockerfile\.\w+)/g)) {
    const path = m[1]!.replace(/\/$/, '');
    assert.ok(existsSync(path) || existsSync(`scripts/${path}`), `${path} does not exist`);
  }
  const host = resources.find((r): r is IIngress & Resource => Ingress.is(r))!.spec!.rules![0]!.host;
  for (const m of text.matchAll(/Host: ([\w.-]+)/g)) assert.equal(m[1], host);
});

test("every client command line in the README and docs/ parses with the client's own yargs definition", async () => {
  const lines = ALL_DOCS.flatMap((file) => shellLines(readFileSync(file, 'utf8')));
  let checked = 0;
  for (const [k, words] of shellWords(lines).entries()) {
    const line = lines[k]!;
    const npm = words.indexOf('--', words.indexOf('client'));
    const docker = words.findIndex((w) => /^histogram-client:/.test(w));
    let args: string[] | undefined;
    if (words[0] === 'npm' && words[2] === 'client' && npm > 0) args = words.slice(npm + 1);
    else if (['docker', 'podman'].includes(words[0]!) && words[1] === 'run' && docker > 0) args = words.slice(docker + 1);
    if (!args) continue;
    // `--help` prints and stops before any command runs: check the command line without it.
    const result = await parseClientArgs(args.filter((a) => a !== '--help'));
    assert.ok(result.ok, `${line}\n  -> ${result.ok ? '' : result.error}`);
    checked++;
  }
  assert.ok(checked >= 15, `only ${checked} client commands found`);
});
