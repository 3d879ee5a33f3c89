/** esbuild loads .css imports of the webview bundles as text (adopted into shadow roots). */
declare module '*.css' {
  const text: string;
  export default text;
}
