// The in-page halves of bench/app-browser.ts, as script text for page.evaluate: text keeps the
// bundler's helpers (tsx names functions with __name) out of code that runs in the page. Each
// script drives the app only through window.raftlab and resolves to plain data.

export interface FrameRate {
  frames: number;
  fps: number;
  frameP95Ms: number;
  frameMaxMs: number;
  /** Message dots drawn in the cluster view, sampled every tenth frame. */
  inFlightMean: number;
  inFlightMax: number;
  /** Simulated milliseconds played during the measurement. */
  simulatedMs: number;
}

export interface SeekTimes {
  eventCount: number;
  generateMs: number;
  seeks: number;
  /** The seek action alone (restore a checkpoint, replay, publish to the store). */
  seekMedianMs: number;
  seekMaxMs: number;
  /** From the seek's start to the second animation frame after it (the views drawn). */
  frameMedianMs: number;
  frameMaxMs: number;
}

export interface FirstScreen {
  firstPaintMs: number;
  firstContentfulPaintMs: number;
  domContentLoadedMs: number;
  loadMs: number;
}

const helpers = `
  const sorted = (values) => [...values].sort((a, b) => a - b);
  const quantile = (values, q) => { const s = sorted(values); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
`;

/** Steps to `electEvents` (a leader by then), then adds latencyMs to both directions of every link. */
export function slowAllLinksScript(
  nodeCount: number,
  latencyMs: number,
  electEvents: number,
): string {
  return `(() => {
    const actions = window.raftlab.actions;
    actions.seek(${electEvents});
    for (let a = 1; a <= ${nodeCount}; a++)
      for (let b = a + 1; b <= ${nodeCount}; b++)
        actions.setLinkFaults(a, b, { extraLatencyMs: ${latencyMs}, lossRatio: { numerator: 0, denominator: 1 } });
    return window.raftlab.state().eventCount;
  })()`;
}

/** Plays at `speed` for `frames` animation frames and reports the frame rate. */
export function fpsScript(speed: number, frames: number): string {
  return `(async () => {
    ${helpers}
    const actions = window.raftlab.actions;
    actions.setSpeed(${speed});
    actions.play();
    await nextFrame();
    await nextFrame();
    const startMs = window.raftlab.state().nowMs;
    const times = [];
    const inFlight = [];
    while (times.length <= ${frames}) {
      times.push(await nextFrame());
      if (times.length % 10 === 0) inFlight.push(document.querySelectorAll('[data-testid="message"]').length);
    }
    const after = window.raftlab.state();
    actions.pause();
    if (!after.playing)
      throw new Error('the run stopped playing during the measurement: event ' + after.eventCount + ', ' + after.nowMs + ' ms, done ' + after.done + ', violation ' + JSON.stringify(after.violation));
    const gaps = times.slice(1).map((time, index) => time - times[index]);
    return {
      frames: gaps.length,
      fps: (gaps.length * 1000) / (times[times.length - 1] - times[0]),
      frameP95Ms: quantile(gaps, 0.95),
      frameMaxMs: Math.max(...gaps),
      inFlightMean: inFlight.reduce((sum, count) => sum + count, 0) / inFlight.length,
      inFlightMax: Math.max(...inFlight),
      simulatedMs: after.nowMs - startMs,
    };
  })()`;
}

/** Runs to `eventCount` events, then seeks to `seeks` positions drawn by a fixed LCG. */
export function seekScript(eventCount: number, seeks: number): string {
  return `(async () => {
    ${helpers}
    const actions = window.raftlab.actions;
    const generateStart = performance.now();
    actions.seek(${eventCount});
    const generateMs = performance.now() - generateStart;
    const reached = window.raftlab.state().eventCount;
    if (reached !== ${eventCount}) throw new Error('the run ended at event ' + reached);
    await nextFrame();
    let state = 12345;
    const seekTimes = [];
    const frameTimes = [];
    for (let i = 0; i < ${seeks}; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      const position = state % (${eventCount} + 1);
      const start = performance.now();
      actions.seek(position);
      seekTimes.push(performance.now() - start);
      if (window.raftlab.state().eventCount !== position) throw new Error('seek missed ' + position);
      await nextFrame();
      await nextFrame();
      frameTimes.push(performance.now() - start);
    }
    return {
      eventCount: ${eventCount},
      generateMs,
      seeks: seekTimes.length,
      seekMedianMs: quantile(seekTimes, 0.5),
      seekMaxMs: Math.max(...seekTimes),
      frameMedianMs: quantile(frameTimes, 0.5),
      frameMaxMs: Math.max(...frameTimes),
    };
  })()`;
}

/** The navigation's paint and load timings (ms from the navigation's start). */
export function firstScreenScript(): string {
  return `(async () => {
    ${helpers}
    while (document.readyState !== 'complete') await nextFrame();
    await nextFrame();
    // Paint entries may be queued after load: wait for each through a buffered observer.
    const paint = (name) =>
      new Promise((resolve) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName(name)[0];
          if (entry !== undefined) resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
        setTimeout(() => resolve(NaN), 5000);
      });
    const navigation = performance.getEntriesByType('navigation')[0];
    return {
      firstPaintMs: await paint('first-paint'),
      firstContentfulPaintMs: await paint('first-contentful-paint'),
      domContentLoadedMs: navigation.domContentLoadedEventEnd,
      loadMs: navigation.loadEventEnd,
    };
  })()`;
}
