import { withoutWarning } from '../../../src/logging/without-warning';

describe('withoutWarning', () => {
  // Node's own emitWarning is the boundary: record what reaches it instead of printing.
  const nodeEmitWarning = process.emitWarning;
  let reached: unknown[][];
  beforeEach(() => {
    reached = [];
    process.emitWarning = (...args: unknown[]): void => {
      reached.push(args);
    };
  });
  afterEach(() => {
    process.emitWarning = nodeEmitWarning;
  });

  it('drops only the named code while loading, in every form emitWarning takes, and lets the rest through', async () => {
    const other = Object.assign(new Error('an Error with another code'), { name: 'DeprecationWarning', code: 'DEP0005' });
    const loaded = await withoutWarning('DEP0111', async () => {
      process.emitWarning("Access to process.binding('http_parser') is deprecated.", 'DeprecationWarning', 'DEP0111');
      process.emitWarning('the same code as options', { type: 'DeprecationWarning', code: 'DEP0111' });
      process.emitWarning(Object.assign(new Error('the same code on an Error'), { name: 'DeprecationWarning', code: 'DEP0111' }));
      process.emitWarning('another deprecation', 'DeprecationWarning', 'DEP0040');
      process.emitWarning('options with another code', { code: 'DEP0123', detail: 'kept' });
      process.emitWarning(other);
      process.emitWarning('a warning without a code');
      return 'restify';
    });
    expect(loaded).toBe('restify');
    expect(reached).toEqual([
      ['another deprecation', 'DeprecationWarning', 'DEP0040'],
      ['options with another code', { code: 'DEP0123', detail: 'kept' }],
      [other],
      ['a warning without a code'],
    ]);
  });

  it('lets the code through again once loading is over, and after a failed load too', async () => {
    await withoutWarning('DEP0111', async () => undefined);
    await expect(
      withoutWarning('DEP0111', async () => {
        throw new Error('cannot load');
      }),
    ).rejects.toThrow('cannot load');
    process.emitWarning('after loading', 'DeprecationWarning', 'DEP0111');
    expect(reached).toEqual([['after loading', 'DeprecationWarning', 'DEP0111']]);
  });
});
