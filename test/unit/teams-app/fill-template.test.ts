import { fillTemplate } from '../../../tools/teams-app/fill-template';

describe('fillTemplate', () => {
  it('fills every occurrence and escapes values for JSON strings', () => {
    const filled = fillTemplate('t.json', '{"a":"{{A}}","b":"x-{{A}}-{{B}}"}', { A: 'say "hi" \\ bye', B: 'ok' });
    expect(filled.problems).toEqual([]);
    expect(JSON.parse(filled.text)).toEqual({ a: 'say "hi" \\ bye', b: 'x-say "hi" \\ bye-ok' });
  });

  it('reports each unknown placeholder once and leaves it in place', () => {
    const filled = fillTemplate('t.json', '{"a":"{{NOPE}}","b":"{{NOPE}}","c":"{{A}}"}', { A: '1' });
    expect(filled.problems).toEqual(['t.json uses the placeholder {{NOPE}}, which has no value: use one of A']);
    expect(filled.text).toBe('{"a":"{{NOPE}}","b":"{{NOPE}}","c":"1"}');
  });
});
