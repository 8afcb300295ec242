/**
 * The SDK's TSDoc examples compile (issue 7, item 14): each `@example` block is type-checked against
 * the SDK as an app would write it, so an example cannot drift from the signatures it shows. So are
 * the ```ts blocks of sdk/README.md (issue 13, item 4).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkExamples, extractExamples, extractMarkdownExamples } from './tsdoc-examples.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('TSDoc and README examples', () => {
  it('every @example block in sdk/src and every ```ts block of sdk/README.md type-checks; one of each made wrong on purpose is caught', () => {
    const examples = extractExamples(root);
    expect(examples.length).toBeGreaterThan(40);
    const readme = extractMarkdownExamples(root);
    expect(readme.length).toBeGreaterThanOrEqual(8);
    const source = examples.find((e) => e.code.includes('marquee.profiles.get({ id: janeId })'));
    expect(source).toBeDefined();
    const feed = readme.find((e) => e.code.includes('marquee.posts.list({ page: 1, page_size: 20 })'));
    expect(feed).toBeDefined();
    // The controls: the positional call the SDK no longer takes, and a parameter the feed does not have.
    const broken = { ...source!, file: 'control', code: source!.code.replace('get({ id: janeId })', 'get(janeId)') };
    const brokenReadme = { ...feed!, file: 'readme-control', code: feed!.code.replace('{ page: 1, page_size: 20 }', '{ page: 1, size: 20 }') };
    const { errors } = checkExamples(root, [...examples, ...readme, broken, brokenReadme]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^control:\d+: Argument of type 'string' is not assignable to parameter of type 'ProfileLookup'/);
    expect(errors[1]).toMatch(/^readme-control:\d+: Object literal may only specify known properties, and 'size' does not exist in type 'PostListParams'/);
  }, 120_000);
});
