import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** A resource of a synthesized template, as the tests read it. */
export type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

/**
 * An app as `cdk synth -c ...` makes it from `context`, without bundling the functions: the tests read the template
 * and the staged assets, and esbuild would add seconds (deployed-bundle.test.ts runs the bundled code).
 * Without CDK's built-in CloudFormation validation either: with no `@aws-cdk/core:validateAgainstDefaultRules` its
 * findings are warnings that fail nothing and that no test reads, and its WebAssembly engine took 2 s of every synth
 * (half of most infra test files). The CLI's `cdk synth` in deployed-bundle.test.ts still runs it, and checks its report.
 * cdk-nag, added with `Validations.of(app).addPlugins`, runs whatever this says.
 */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [], ...context }, builtinCloudFormationValidation: false });
}

/**
 * The stack `build` adds to a test app, synthesized: the cloud assembly (validations such as cdk-nag run, assets
 * staged), the stack's template, and its resources by logical id.
 */
export function synthesize<S extends Stack>(build: (app: App) => S, context: Record<string, unknown> = {}) {
  const app = testApp(context);
  const stack = build(app);
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  return { app, stack, assembly, template, resources: template.toJSON().Resources as Record<string, Resource> };
}
