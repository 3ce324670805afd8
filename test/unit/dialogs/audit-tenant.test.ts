import type { Activity } from 'botbuilder';
import { auditTenantOf } from '../../../src/dialogs/audit-tenant';

const activityIn = (tenantId: unknown): Pick<Activity, 'conversation'> =>
  ({ conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: '', tenantId } }) as unknown as Pick<Activity, 'conversation'>;

describe('auditTenantOf', () => {
  it.each([
    ['72f988bf-86f1-41af-91ab-2d7cd011db47', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
    ['+81 9012345678', '(other)'],
    ['eyJhbGciOi.token.value', '(other)'],
    [12345, '(other)'],
    [undefined, undefined],
  ])('names %p as %p', (tenantId, expected) => {
    expect(auditTenantOf(activityIn(tenantId))).toBe(expected);
  });
});
