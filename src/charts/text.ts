// SVG text does not wrap or measure itself on the server: a width estimate good enough to keep a label
// clear of the value beside it (CJK and other wide characters take a full em, Latin about half).

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += WIDE.test(ch) ? 1 : /[A-Z0-9%@#&mwMW]/.test(ch) ? 0.66 : ch === ' ' ? 0.3 : 0.55;
  return em * fontSize;
}

/** The text itself when it fits in `width`, otherwise as much as fits followed by an ellipsis. */
export function fitText(text: string, width: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= width) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join('').trimEnd()}…`, fontSize) > width) chars.pop();
  return chars.length === 0 ? '…' : `${chars.join('').trimEnd()}…`;
}
