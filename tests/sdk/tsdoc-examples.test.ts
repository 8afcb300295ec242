/**
 * The SDK's TSDoc examples compile (issue 7, item 14): each `@example` block is type-checked against
 * the SDK as an app would write it, so an example cannot drift from the signatures it shows.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkExamples, extractExamples } from './tsdoc-examples.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('TSDoc examples', () => {
  it('every @example block in sdk/src type-checks; one made wrong on purpose is caught', () => {
    const examples = extractExamples(root);
    expect(examples.length).toBeGreaterThan(40);
    const source = examples.find((e) => e.code.includes('marquee.profiles.get({ id: janeId })'));
    expect(source).toBeDefined();
    // The control: the positional call the SDK no longer takes.
    const broken = { ...source!, file: 'control', code: source!.code.replace('get({ id: janeId })', 'get(janeId)') };
    const { errors } = checkExamples(root, [...examples, broken]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^control:\d+: Argument of type 'string' is not assignable to parameter of type 'ProfileLookup'/);
  }, 120_000);
});
