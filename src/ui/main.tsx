import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { reset } from './store/cluster-actions';
import { installTestHandle } from './test-handle';
import { App } from './views/app';
import './styles.css';

// ?seed=N opens the page on that seed, so a run can be shared as a link.
const seedParameter = new URLSearchParams(window.location.search).get('seed');
if (seedParameter !== null && /^-?\d{1,15}$/.test(seedParameter)) reset(Number(seedParameter));

installTestHandle(window);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
