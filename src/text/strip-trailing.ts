/**
 * `value` without the run of `characters` at its end, found in one backward pass.
 *
 * Why not `value.replace(/[…]+$/, '')`: a backtracking engine starts a match at every position of a
 * run that is not at the end, reads to the run's end and fails, so a long run followed by anything
 * else costs time quadratic in its length (a 60 KB message of dots took 15 s). This is linear.
 * `characters` are single UTF-16 units (no characters outside the Basic Multilingual Plane).
 */
export function stripTrailing(value: string, characters: string): string {
  let end = value.length;
  while (end > 0 && characters.includes(value.charAt(end - 1))) end -= 1;
  return end === value.length ? value : value.slice(0, end);
}
