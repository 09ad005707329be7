// Icons: GitHub's Octicons (@primer/octicons, MIT), drawn inline so that they need no request, follow the
// text colour (fill: currentColor) and stay within the CSP. Always decorative: the text beside an icon
// names what it does, so the SVG is hidden from assistive technology and never takes focus.
import octicons from '@primer/octicons';

const cache = new Map<string, string>();

/** The inline SVG of the named octicon at 16 px, or '' for a name the set does not have. */
export function icon(name: string): string {
  const known = cache.get(name);
  if (known !== undefined) return known;
  const found = Object.prototype.hasOwnProperty.call(octicons, name) ? octicons[name] : undefined;
  const svg = found
    ? found.toSVG({ class: 'icon', 'aria-hidden': 'true', focusable: 'false' }).replace(/ data-component="Octicon"/, '')
    : '';
  cache.set(name, svg);
  return svg;
}
