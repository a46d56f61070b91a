/** Numbers as the report and the targets print them. */

/** A share in per cent, one decimal. @example pct(0.1234) // '12.3 %' */
export const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** `d` decimals, or a dash for what is not a finite number. @example fixed(NaN) // '–' */
export const fixed = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');
