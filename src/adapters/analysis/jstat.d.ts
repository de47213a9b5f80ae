// jstat ships no types; agora uses only the Student-t CDF (ml-linear-algebra.ts).
declare module 'jstat' {
  const jstat: { studentt: { cdf(t: number, df: number): number } };
  export default jstat;
}
