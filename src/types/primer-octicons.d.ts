// The parts of @primer/octicons (which ships no types) that src/navigation/icons.ts uses.
declare module '@primer/octicons' {
  interface Octicon {
    readonly name: string;
    toSVG(options?: Record<string, string>): string;
  }
  const octicons: Record<string, Octicon>;
  export default octicons;
}
