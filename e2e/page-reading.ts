// What the e2e tests read from a page through the automation contract's data-testids: the nodes'
// attributes and the event counter. One copy for every test file.
import type { Page } from 'playwright-core';

export interface NodeAttributes {
  id: string;
  role: string;
  term: string;
  commit: string;
}

/** Every drawn node's data-node-id, data-role, data-term and data-commit, in drawing order. */
export async function nodeAttributes(page: Page): Promise<NodeAttributes[]> {
  return page.$$eval('[data-testid="node"]', (nodes) =>
    nodes.map((node) => ({
      id: node.getAttribute('data-node-id')!,
      role: node.getAttribute('data-role')!,
      term: node.getAttribute('data-term')!,
      commit: node.getAttribute('data-commit')!,
    })),
  );
}

/** The events processed so far, as the `event-count` element shows them. */
export async function eventCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('event-count').textContent());
}
