// The docs name only things that exist: the commands in docs/kubernetes.md only resources of the
// rendered base and its namespaces; the README and docs/ only existing image tags, files under
// k8s/ and scripts/ and the Ingress host; and every client command line in them parses with
// the client's own yargs definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { findResource, kustomizeUnavailable, readYamlDocuments, renderKustomization } from './helpers/k8s-render.ts';
import { parseClientArgs } from './helpers/k8s-cli-parse.ts';

const KUBERNETES_DOC = 'docs/kubernetes.md';
const ALL_DOCS = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Shell lines of the fenced sh/bash blocks of `markdown`, continuation lines joined, comments dropped. */
function shellLines(markdown: string): string[] {
  return [...markdown.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

const text = readFileSync(KUBERNETES_DOC, 'utf8');
const resources = kustomizeUnavailable ? [] : renderKustomization('k8s');
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

test(`${KUBERNETES_DOC} has shell commands to check`, () => {
  assert.ok(commands.length >= 20, `found only ${commands.length} commands`);
});

test("every namespace in the commands is the base's or ingress-nginx's", { skip: kustomizeUnavailable }, () => {
  const namespace = findResource(resources, 'Namespace').metadata.name;
  for (const m of text.matchAll(/(?:-n|--namespace) ([\w-]+)/g)) assert.ok([namespace, 'ingress-nginx'].includes(m[1]!), m[0]);
});

test("every kind/name in a command exists in the rendered base (or is ingress-nginx's controller)", { skip: kustomizeUnavailable }, () => {
  for (const line of commands) {
    for (const m of line.matchAll(/(?<![\w/.-])(deploy|deployment|job|hpa|svc|service|pdb|configmap|ingress)\/([\w-]+)/g)) {
      if (line.includes('-n ingress-nginx')) {
        assert.match(m[2]!, /^ingress-nginx-controller$/, line);
        continue;
      }
      findResource(resources, KINDS[m[1]!]!, m[2]);
    }
    for (const m of line.matchAll(/\b(?:delete|patch|get|describe) (deploy|deployment|job|hpa|svc|service|pdb|configmap|ingress) ([\w-]+)/g))
      findResource(resources, KINDS[m[1]!]!, m[2]);
    for (const m of line.matchAll(/job-name=([\w-]+)/g)) findResource(resources, 'Job', m[1]);
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
  const host = (findResource(resources, 'Ingress').spec as { rules: { host: string }[] }).rules[0]!.host;
  for (const m of text.matchAll(/Host: ([\w.-]+)/g)) assert.equal(m[1], host);
});

/** Splits a shell command line into words (single and double quotes; stops at | > ; and at a # comment). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|([|;>&])|(\S+)/g)) {
    if (m[3] || m[4]?.startsWith('#')) break;
    words.push(m[1] ?? m[2] ?? m[4]!);
  }
  return words;
}

test("every client command line in the README and docs/ parses with the client's own yargs definition", async () => {
  const lines = ALL_DOCS.flatMap((file) => shellLines(readFileSync(file, 'utf8')))
    .flatMap((line) => line.split(/\|/))
    .map((l) => l.trim());
  let checked = 0;
  for (const line of lines) {
    const words = shellWords(line);
    const npm = words.indexOf('--', words.indexOf('client'));
    const docker = words.findIndex((w) => /^histogram-client:/.test(w));
    let args: string[] | undefined;
    if (words[0] === 'npm' && words[2] === 'client' && npm > 0) args = words.slice(npm + 1);
    else if (words[0] === 'docker' && words[1] === 'run' && docker > 0) args = words.slice(docker + 1);
    if (!args) continue;
    // `--help` prints and stops before any command runs: check the command line without it.
    const result = await parseClientArgs(args.filter((a) => a !== '--help'));
    assert.ok(result.ok, `${line}\n  -> ${result.ok ? '' : result.error}`);
    checked++;
  }
  assert.ok(checked >= 15, `only ${checked} client commands found`);
});
