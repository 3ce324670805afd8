import { loadConfig } from '../../../src/config/load-config';
import { summarizeConfig } from '../../../src/config/summarize-config';
import { configProblems } from '../../support/config-problems';

const GROUP = '5E0C9A7B-1D2E-4F3A-8B4C-6D7E8F9A0B1C';

describe('ALLOWED_GROUP_ID and FIRST_PHONE_POLICY', () => {
  it('default to everyone in the tenant and a first phone in the chat', () => {
    expect(loadConfig({}).access).toEqual({ allowedGroupId: '', firstPhonePolicy: 'allow' });
  });

  it('read a group object id (in lower case, as Graph lists ids) and the portal policy', () => {
    expect(loadConfig({ ALLOWED_GROUP_ID: ` ${GROUP} `, FIRST_PHONE_POLICY: 'portal' }).access).toEqual({
      allowedGroupId: GROUP.toLowerCase(),
      firstPhonePolicy: 'portal',
    });
  });

  it('refuse a group given by name instead of object id, and an unknown policy, each with its fix', () => {
    expect(configProblems({ ALLOWED_GROUP_ID: 'MFA pilot users' })).toEqual([
      expect.stringMatching(/^ALLOWED_GROUP_ID is not a GUID: set it to the Object ID of the Entra group/),
    ]);
    expect(configProblems({ FIRST_PHONE_POLICY: 'deny' })).toEqual([expect.stringMatching(/^FIRST_PHONE_POLICY is invalid .*use allow .* or portal/)]);
  });

  it('show in the start-up summary', () => {
    expect(summarizeConfig(loadConfig({})).access).toEqual({ allowedGroupId: '(everyone in the tenant)', firstPhonePolicy: 'allow' });
    expect(summarizeConfig(loadConfig({ ALLOWED_GROUP_ID: GROUP })).access).toMatchObject({ allowedGroupId: GROUP.toLowerCase() });
  });
});
