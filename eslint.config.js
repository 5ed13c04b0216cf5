// Lint enforces the layering of docs/ARCHITECTURE.md and keeps src/raft and src/sim deterministic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layers, lowest first. A layer may import only from layers listed before it.
const layers = ['raft', 'storage', 'engines', 'checker', 'sim', 'worker', 'cli', 'ui'];
const peersAllowed = { cli: ['ui'], ui: ['cli'] };

function forbiddenFor(layer) {
  const index = layers.indexOf(layer);
  return layers
    .slice(index + 1)
    .concat(peersAllowed[layer] ?? [])
    .filter((other, position, all) => other !== layer && all.indexOf(other) === position);
}

function layerRule(layer) {
  const forbidden = forbiddenFor(layer);
  return {
    files: [`src/${layer}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((other) => ({
            group: [`**/${other}`, `**/${other}/**`],
            message: `src/${layer} sits below src/${other}: imports go one way (docs/ARCHITECTURE.md).`,
          })),
        },
      ],
    },
  };
}

const determinismRules = {
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: 'Use the injected seeded random source.' },
    { object: 'Date', property: 'now', message: 'Use simulated time.' },
    { object: 'performance', property: 'now', message: 'Use simulated time.' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Use the simulator scheduler.' },
    { name: 'setInterval', message: 'Use the simulator scheduler.' },
    { name: 'setImmediate', message: 'Use the simulator scheduler.' },
    { name: 'queueMicrotask', message: 'Use the simulator scheduler.' },
    { name: 'performance', message: 'Use simulated time.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date']", message: 'Use simulated time.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'testdata/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...layers.map(layerRule),
  { files: ['src/raft/**/*.ts', 'src/sim/**/*.ts'], ignores: ['**/*.test.ts'], rules: determinismRules },
);
