/**
 * WCAG 2.2 contrast between two sRGB colours written `#rgb` or `#rrggbb` (success criterion 1.4.3 and the
 * "relative luminance" definition). The hosted pages put white text on the site's accent colour, so a
 * configured colour is checked with this at boot.
 */
export const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

const channels = (hex: string): [number, number, number] => {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join('') : hex.slice(1);
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16) / 255) as [number, number, number];
};

const luminance = (hex: string) => {
  const [r, g, b] = channels(hex).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** From 1 (same colour) to 21 (black on white). */
export const contrastRatio = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};

/** WCAG AA for normal-size text. */
export const MIN_TEXT_CONTRAST = 4.5;
