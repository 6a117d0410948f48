// Pod names as the controllers make them: a Deployment's pods are `<deployment>-<pod-template-
// hash>-<5 random characters>` (the hash names the ReplicaSet and changes with the template), an
// Indexed Job's are `<job>-<index>-<5 random characters>`. Same alphabet as Kubernetes'
// k8s.io/apimachinery/pkg/util/rand: no vowels, no 0/1/3, so a name never spells a word.
import { randomInt } from 'node:crypto';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a of a string's UTF-8 bytes (the hash family Kubernetes uses for templates). */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The pod-template-hash of a pod template: FNV-1a of its JSON, written in decimal and each digit
 * mapped into the alphabet above, as Kubernetes' SafeEncodeString does. Equal templates give equal
 * hashes; any change to the template gives another (as a rollout's new ReplicaSet does).
 */
export function podTemplateHash(template: unknown): string {
  return [...String(fnv1a32(JSON.stringify(template)))].map((c) => ALPHANUMS[c.charCodeAt(0) % ALPHANUMS.length]).join('');
}

/** `length` random characters of the alphabet (default 5, a pod name's suffix). */
export function randomSuffix(length = 5): string {
  return Array.from({ length }, () => ALPHANUMS[randomInt(ALPHANUMS.length)]).join('');
}
