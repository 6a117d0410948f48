// Which part of a Job's total load this pod sends: `--shard-index/--shard-count`, defaulting
// to the Indexed Job's JOB_COMPLETION_INDEX and the completions count the manifest passes.

/** Environment variable with the Job's completions (Kubernetes sets only the index itself). */
export const COMPLETIONS_ENV = 'JOB_COMPLETIONS';

/**
 * Resolves the shard from options, then `env`. Defaults: index 0 of 1.
 * @throws Error when the index is not an integer in 0..count-1.
 */
export function resolveShard(
  index: number | undefined,
  count: number | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { index: number; count: number } {
  const resolvedCount = count ?? integerOr(env[COMPLETIONS_ENV], 1);
  const resolvedIndex = index ?? integerOr(env.JOB_COMPLETION_INDEX, 0);
  if (!Number.isInteger(resolvedCount) || resolvedCount < 1) {
    throw new Error(`Expected an integer >= 1 for --shard-count but received ${resolvedCount}`);
  }
  if (!Number.isInteger(resolvedIndex) || resolvedIndex < 0 || resolvedIndex >= resolvedCount) {
    throw new Error(`Expected an integer between 0 and ${resolvedCount - 1} for --shard-index but received ${resolvedIndex}`);
  }
  return { index: resolvedIndex, count: resolvedCount };
}

function integerOr(text: string | undefined, fallback: number): number {
  return text === undefined || text.trim() === '' ? fallback : Number(text);
}
