// CI's dependency audit reads npm audit's answer: counts when it was done, a reason when it was not.
const { readAudit } = require('../../../scripts/ci-audit.js');

describe('the CI dependency audit', () => {
  it('counts advisories by severity and lists each with its fix', () => {
    const answer = JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities: { 'some-lib': { severity: 'high', range: '<1.2.3', fixAvailable: true } },
      metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 1 } },
    });
    expect(readAudit(answer)).toEqual({
      done: true,
      counts: { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 1 },
      advisories: [{ name: 'some-lib', severity: 'high', range: '<1.2.3', fix: 'fix available' }],
    });
  });

  it('says why it was not done when the endpoint refuses, as this machine`s registry does', () => {
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    expect(readAudit(refused)).toEqual({
      done: false,
      reason: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
    });
    expect(readAudit(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND' } }))).toEqual({
      done: false,
      reason: 'getaddrinfo ENOTFOUND',
    });
    expect(readAudit('')).toEqual({ done: false, reason: 'npm audit printed no report' });
  });
});
