/**
 * Groups a code's digits by three for reading aloud or copying (`123456` → `123 456`). Codes of four
 * digits or fewer are returned as they are.
 */
export function spacedCode(code: string): string {
  if (code.length <= 4) return code;
  return code.match(/.{1,3}/gu)?.join(' ') ?? code;
}
