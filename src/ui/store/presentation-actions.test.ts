import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInScenarios } from '../scenarios/catalog';
import { appStore } from './app-store';
import {
  currentCaption,
  followCaptions,
  handleKey,
  leaveScenario,
  loadScenario,
} from './presentation-actions';
import { seek } from './run-actions';
import { formatUrl, parseUrl } from './url';

describe('scenarios, captions and keys', () => {
  let unfollow: () => void = () => {};
  beforeEach(() => loadScenario('first-election'));
  afterEach(() => unfollow());

  it('a scenario runs its own seed, nodes and plan, and its captions follow the position', () => {
    const state = appStore.getState();
    expect(state.config.scenario?.id).toBe('first-election');
    expect(state.nodes).toHaveLength(5);
    expect(currentCaption()?.index).toBe(0);
    seek(200);
    const later = currentCaption()!;
    expect(later.index).toBeGreaterThan(1);
    expect(later.text).toMatch(/^Node \d/);
    seek(0);
    expect(currentCaption()?.index).toBe(0);
  });

  it('arrows step forward and back, digits pick scenarios, p and d toggle modes', () => {
    expect(handleKey('ArrowRight')).toBe(true);
    expect(handleKey('ArrowRight')).toBe(true);
    expect(appStore.getState().eventCount).toBe(2);
    handleKey('ArrowLeft');
    expect(appStore.getState().eventCount).toBe(1);
    expect(handleKey('2')).toBe(true);
    expect(appStore.getState().config.scenario?.id).toBe(builtInScenarios[1].id);
    expect(appStore.getState().eventCount).toBe(0);
    const theme = appStore.getState().theme;
    handleKey('d');
    expect(appStore.getState().theme).not.toBe(theme);
    handleKey('p');
    expect(appStore.getState().presentation).toBe(true);
    handleKey('p');
    expect(handleKey('x')).toBe(false);
    leaveScenario();
    expect(appStore.getState().config.scenario).toBeUndefined();
    expect(currentCaption()).toBeNull();
  });

  it('playing stops at a caption marked pause, even when a frame jumps past it', () => {
    unfollow = followCaptions();
    appStore.setState({ playing: true });
    seek(1_000);
    expect(appStore.getState().playing).toBe(false);
    const caption = currentCaption()!;
    expect(caption.pause).toBe(true);
    expect(caption.index).toBe(1);
  });

  it('the URL carries the scenario and reopens it', () => {
    seek(120);
    const search = formatUrl({
      config: appStore.getState().config,
      position: 120,
      interventions: [],
    });
    expect(search).toContain('scenario=first-election');
    const parsed = parseUrl(search);
    expect(parsed.problems).toEqual([]);
    expect(parsed.config).toEqual(appStore.getState().config);
    expect(parseUrl('?scenario=nope').problems[0]).toMatch(/scenario=nope ignored: known scenarios are first-election/);
  });
});
