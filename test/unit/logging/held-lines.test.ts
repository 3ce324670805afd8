import { HeldLines } from '../../../src/logging/held-lines';

describe('HeldLines', () => {
  it('keeps lines until released, then writes them in order and passes later lines straight through', () => {
    const out: string[] = [];
    const held = new HeldLines({ write: (line) => out.push(line) });
    held.write('starting\n');
    held.write('listening\n');
    expect(out).toEqual([]);
    out.push('banner\n');
    held.release();
    held.write('turn\n');
    held.release();
    expect(out).toEqual(['banner\n', 'starting\n', 'listening\n', 'turn\n']);
  });
});
