import { findSensitive } from '../../support/sensitive-values';

describe('the log scan', () => {
  it.each([
    ['{"msg":"sent","to":"+81 9012345678"}'],
    ['{"msg":"sent","to":"+819012345678"}'],
    ['{"msg":"typed","number":"090-1234-5678"}'],
    ['{"code":"123456"}'],
    ['{"headers":{"authorization":"Bearer abcdefghijkl"}}'],
    ['{"token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig"}'],
    ['endpoint=https://x.communication.azure.com/;accesskey=bm90LWEtcmVhbC1rZXk='],
    ['{"msg":"123 456 is your sign-in verification code for your work account"}'],
    ['{"secret":"client-secret-value-Qx7~"}'],
  ])('finds %s', (line) => {
    expect(findSensitive(line).length).toBeGreaterThan(0);
  });

  it.each([
    ['{"msg":"sent","to":"+81 XXXXXX5678","requestId":"64cf3940-3ce9-423e-864e-b82d4871144c","time":1795800000000}'],
    ['{"code":"[redacted]","authorization":"[redacted]"}'],
    ['{"msg":"Bearer [redacted]"}'],
  ])('passes %s', (line) => {
    expect(findSensitive(line)).toEqual([]);
  });
});

it('does not take the groups of an id for a dialled number', () => {
  expect(findSensitive('{"messageId":"Outgoing_508fc1bb-3e35-4d07-8311-6436f6401564_noam"}')).toEqual([]);
});
