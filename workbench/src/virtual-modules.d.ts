/** Declarations of the engine's learner API, generated at build time from runtime/src/streamlab.ts. */
declare module 'virtual:streamlab-dts' {
  const text: string;
  export default text;
}
