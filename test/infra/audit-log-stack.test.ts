import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FUNCTIONS } from '../../infra/routes';
import { TokenServiceStack, type TokenServiceStackProps } from '../../infra/token-service-stack';
import { testApp } from '../support/cdk-app';

/** The stack, cdk-nag's AwsSolutions rules over it, and its template. Bundling is skipped: the rules read the template. */
function synthesized(id: string, props: TokenServiceStackProps): Template {
  const app = testApp();
  const stack = new TokenServiceStack(app, id, props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth(); // throws on any finding nobody acknowledged
  return Template.fromStack(stack);
}

const functionCount = Object.keys(FUNCTIONS).length;

describe('the audit log deployed (AUDIT-11)', () => {
  it('AUDIT-11: with auditEnabled, synthesizes cdk-nag clean with an encrypted audit log group kept a year', () => {
    const template = synthesized('Audited', { auditEnabled: true });
    const keys = template.findResources('AWS::KMS::Key', { Properties: { Description: 'Encrypts the audit log group' } });
    expect(Object.values(keys)).toEqual([
      expect.objectContaining({ Properties: expect.objectContaining({ EnableKeyRotation: true }) }),
    ]);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Object.keys(keys)[0], 'Arn'] },
    });
    // Every function's log group sends its audit lines, and only those, to the forwarder.
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', functionCount);
    template.allResourcesProperties('AWS::Logs::SubscriptionFilter', { FilterPattern: '{ $.type = "audit" }' });
    // The forwarder's own log group is the audit log; Lambda's START/END/REPORT lines stay out of it.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Writes the audit events of the functions into the audit log group',
      LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN', LogGroup: Match.anyValue() },
    });
    // The functions are told to audit.
    const environment = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties.Environment?.Variables?.ES_AUDIT_SETTINGS)
      .filter((value) => value !== undefined);
    expect(environment).toHaveLength(functionCount);
    expect(JSON.parse(environment[0])).toEqual({ 'xpack.security.audit.enabled': 'true' });
  });

  it('AUDIT-11: the retention is a setting; one CloudWatch Logs does not offer refuses the synth', () => {
    const template = synthesized('AuditedLonger', { auditEnabled: true, auditLogRetentionDays: 731 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731, KmsKeyId: Match.anyValue() });
    expect(() => synthesized('AuditedOddly', { auditEnabled: true, auditLogRetentionDays: 42 })).toThrow(
      /auditLogRetention: \[42\] is not a retention period/,
    );
  });

  it("AUDIT-11, AUDIT-9: esPathConf's elasticsearch.yml settings go to the functions, checked at synth", () => {
    const directory = mkdtempSync(join(tmpdir(), 'es-config-'));
    writeFileSync(join(directory, 'users'), '');
    writeFileSync(join(directory, 'users_roles'), '');
    writeFileSync(join(directory, 'roles.yml'), '');
    writeFileSync(
      join(directory, 'elasticsearch.yml'),
      'xpack.security.audit.enabled: true\nxpack.security.audit.logfile.events.include: [access_denied]\n',
    );
    const template = synthesized('AuditedFromYaml', { esPathConf: directory });
    const settings = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties.Environment?.Variables?.ES_AUDIT_SETTINGS)
      .find((value) => value !== undefined);
    expect(JSON.parse(settings)).toEqual({
      'xpack.security.audit.enabled': 'true',
      'xpack.security.audit.logfile.events.include': ['access_denied'],
    });
    writeFileSync(join(directory, 'elasticsearch.yml'), 'xpack.security.audit.logfile.events.emit_request_body: true\n');
    expect(() => synthesized('AuditedWithBodies', { esPathConf: directory, auditEnabled: true })).toThrow(/emit_request_body/);
  });

  it('AUDIT-1: off by default: no audit log group, forwarder or subscription', () => {
    const template = synthesized('NotAudited', {});
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    expect(
      Object.keys(template.findResources('AWS::KMS::Key', { Properties: { Description: 'Encrypts the audit log group' } })),
    ).toEqual([]);
  });
});
