// Vite's `?raw` import: the file's text as a string, bundled at build time (tsconfig lists only
// Node's types, not vite/client, so the app declares the one query it uses).
declare module '*?raw' {
  const text: string;
  export default text;
}
