// The theme and presentation-mode toggles, and what they do to the document: data-theme and
// data-presentation on <html> switch the CSS variables (theme.css); the keyboard handler runs
// while the focus is not in a text field or a list.
import { useEffect } from 'react';
import {
  followSystemTheme,
  handleKey,
  toggleTheme,
  togglePresentation,
} from '../store/presentation-actions';
import { useAppStore } from './use-app-store';

function typingInto(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
  );
}

function useDocumentPresentation(theme: string, presentation: boolean): void {
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.dataset.presentation = presentation ? 'on' : 'off';
    root.style.colorScheme = theme;
  }, [theme, presentation]);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = (): void => followSystemTheme(query.matches ? 'dark' : 'light');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
      // A focused button would also take space as a click when the key comes up.
      if (event.target instanceof HTMLButtonElement) event.target.blur();
      if (handleKey(event.key)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function PresentationControls() {
  const { theme, presentation } = useAppStore((state) => ({
    theme: state.theme,
    presentation: state.presentation,
  }));
  useDocumentPresentation(theme, presentation);
  return (
    <span className="presentation-controls">
      <button
        data-testid="theme-toggle"
        onClick={toggleTheme}
        aria-pressed={theme === 'dark'}
        title="Light or dark theme (d)"
      >
        {theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
      <button
        data-testid="presentation-toggle"
        onClick={togglePresentation}
        aria-pressed={presentation}
        title="Presentation mode: large type, captions, keyboard (p). Space plays, arrows step, 1-9 pick a scenario"
      >
        {presentation ? 'Exit presentation' : 'Present'}
      </button>
    </span>
  );
}
