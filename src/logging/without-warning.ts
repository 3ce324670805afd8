/** The code of a warning, however `process.emitWarning` was called (code argument, options object or Error). */
function warningCode(warning: string | Error, rest: readonly unknown[]): unknown {
  if (warning instanceof Error && 'code' in warning) return warning.code;
  const [typeOrOptions, code] = rest;
  if (typeof typeOrOptions === 'object' && typeOrOptions !== null && 'code' in typeOrOptions) return typeOrOptions.code;
  return code;
}

/**
 * Runs `load` with Node's process warnings of one code dropped, and only those: every other warning
 * is emitted as usual, and the code is printed again as soon as `load` settles. For a dependency that
 * warns on load about something this project cannot change.
 */
export async function withoutWarning<T>(code: string, load: () => Promise<T>): Promise<T> {
  const emitWarning = process.emitWarning;
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    if (warningCode(warning, rest) === code) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  };
  process.emitWarning = filtered;
  try {
    return await load();
  } finally {
    process.emitWarning = emitWarning;
  }
}
