// `npx tsx bench/migration.ts`: how long the app's migration scenarios take to compute (record
// every frame) in Node and in headless Chromium (the app's own code through
// window.raftlabMigration, on Vite's dev server), and the side-by-side view's cost per simulated
// second; with each scenario's frames, simulated length and downtime. Printed, never asserted.
import { cpus, loadavg } from 'node:os';
import { recordMigrationScenario } from '../src/ui/migration/migration-scenarios';
import { migrationScenarioIds, type MigrationScenarioId } from '../src/ui/migration/migration-catalog';
import { SideBySideRun } from '../src/ui/migration/side-by-side';
import { chromiumMissing, startAppBrowser } from '../e2e/app-browser';

const rounds = 5;
const seed = 1;
const sideBySideMs = 5_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function nodeScenario(id: MigrationScenarioId): Promise<string> {
  const times: number[] = [];
  let summary = '';
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const recording = await recordMigrationScenario(id, seed);
    times.push(performance.now() - started);
    summary = `${recording.frames.length} frames, ${recording.endMs} ms simulated, downtime ${recording.downtimeMs ?? '-'} ms, check ${recording.verdict.status}`;
  }
  return `${id.padEnd(18)} median ${median(times).toFixed(0).padStart(4)} ms (min ${Math.min(...times).toFixed(0)}) · ${summary}`;
}

async function nodeSideBySide(): Promise<string> {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const run = new SideBySideRun({ seed, nodeCount: 3, nemesis: ['partition', 'crash'], timeMs: 20_000 });
    const started = performance.now();
    await run.recordUntil(sideBySideMs);
    times.push(performance.now() - started);
    await run.terminate();
  }
  return `side by side, ${sideBySideMs} ms simulated (both engines, partition+crash): median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)})`;
}

async function browser(): Promise<string[]> {
  const missing = chromiumMissing();
  if (missing !== null) return [`browser skipped: ${missing}`];
  const app = await startAppBrowser();
  const errors: string[] = [];
  try {
    const page = await app.open(`?view=migration&scenario=migration&seed=${seed}`, errors);
    await page.locator('[data-testid="migration-view"][data-loaded="true"]').waitFor();
    const lines: string[] = [];
    for (const id of migrationScenarioIds) {
      const times = await page.evaluate(
        async ({ id, seed, rounds }) => {
          const handle = window.raftlabMigration!;
          const times: number[] = [];
          for (let round = 0; round < rounds; round++) {
            const started = performance.now();
            await handle.load(id, seed);
            times.push(performance.now() - started);
          }
          return times;
        },
        { id, seed, rounds },
      );
      lines.push(`${id.padEnd(18)} median ${median(times).toFixed(0).padStart(4)} ms (min ${Math.min(...times).toFixed(0)})`);
    }
    const sideBySide = await page.evaluate(async (timeMs) => {
      const times: number[] = [];
      for (let round = 0; round < 3; round++) {
        const started = performance.now();
        await window.raftlabMigration!.startEngines(1, ['partition', 'crash'], timeMs);
        times.push(performance.now() - started);
      }
      return times;
    }, sideBySideMs);
    lines.push(`side by side, ${sideBySideMs} ms simulated: median ${median(sideBySide).toFixed(0)} ms (min ${Math.min(...sideBySide).toFixed(0)})`);
    if (errors.length > 0) lines.push(`page errors: ${errors.join('; ')}`);
    return lines;
  } finally {
    await app.close();
  }
}

console.log(`migration scenarios, seed ${seed}, ${rounds} rounds each · ${cpus().length} cores ${cpus()[0]?.model ?? ''} · load ${loadavg()[0].toFixed(2)} · node ${process.version}`);
console.log('Node (in-process, tsx):');
for (const id of migrationScenarioIds) console.log(`  ${await nodeScenario(id)}`);
console.log(`  ${await nodeSideBySide()}`);
console.log('Chromium (dev server, window.raftlabMigration.load):');
for (const line of await browser()) console.log(`  ${line}`);
