// One suite's app and browser: registers the beforeAll that starts the app (Vite) and Chromium,
// and the afterAll that stops them, for every e2e file that drives the app. Kept apart from
// app-browser.ts, which scripts outside vitest (screenshots, benches) import.
import { afterAll, beforeAll } from 'vitest';
import { chromiumMissing, skipBrowser, startAppBrowser, type AppBrowser } from './app-browser';

/**
 * Starts the app and Chromium before the suite's tests and closes both after them. The getter
 * returns undefined when the browser is skipped or missing: each test calls requireBrowser first,
 * which skips or fails it saying why.
 */
export function useAppBrowser(): () => AppBrowser | undefined {
  let app: AppBrowser | undefined;
  beforeAll(async () => {
    if (skipBrowser || chromiumMissing() !== null) return;
    app = await startAppBrowser();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });
  return () => app;
}
