/**
 * The app's colours, light and dark, in one place. The frontend build turns
 * them into CSS variables (`paletteCss`, prepended to frontend/style.css),
 * and connect-react's theme is derived from the same values
 * (frontend/lib/theme.ts), because react-select needs concrete colours.
 *
 * Every text colour here keeps at least 4.5:1 against the backgrounds it is
 * used on (axe-core checks this in the browser tests).
 */

export type Palette = {
  bg: string;
  card: string;
  fg: string;
  muted: string;
  border: string;
  /** Borders of form controls: 3:1 against the card (WCAG non-text contrast). */
  control: string;
  accent: string;
  accentFg: string;
  /** The focus ring. */
  focus: string;
  danger: string;
  /** Text on a danger-coloured button. */
  dangerFg: string;
  ok: string;
  okBg: string;
  badBg: string;
  warn: string;
  warnBg: string;
  codeBg: string;
  bannerBg: string;
  bannerFg: string;
  /** Syntax highlighting on codeBg. */
  codeKeyword: string;
  codeString: string;
  codeComment: string;
  codeTag: string;
};

export const PALETTE: { light: Palette; dark: Palette } = {
  light: {
    bg: "#f4f5f7",
    card: "#ffffff",
    fg: "#1b1f24",
    muted: "#545d69",
    border: "#d5d9de",
    control: "#8a929c",
    accent: "#1a66d9",
    accentFg: "#ffffff",
    focus: "#1a66d9",
    danger: "#b42318",
    dangerFg: "#ffffff",
    ok: "#17692f",
    okBg: "#e6f4ea",
    badBg: "#fdecea",
    warn: "#7a4d00",
    warnBg: "#fff4d6",
    codeBg: "#f0f2f5",
    bannerBg: "#fff4d6",
    bannerFg: "#5c4300",
    codeKeyword: "#8a2cc2",
    codeString: "#0a6b3a",
    codeComment: "#5e6672",
    codeTag: "#0b5cad",
  },
  dark: {
    bg: "#0f1115",
    card: "#171a21",
    fg: "#e8eaed",
    muted: "#a0a8b3",
    border: "#2b313b",
    control: "#5d6673",
    accent: "#4c8dff",
    accentFg: "#0b0d11",
    focus: "#79aaff",
    danger: "#ff7b7b",
    dangerFg: "#0b0d11",
    ok: "#5fd38d",
    okBg: "#13301f",
    badBg: "#3a1717",
    warn: "#ffd37a",
    warnBg: "#3a2f10",
    codeBg: "#11141a",
    bannerBg: "#3a2f10",
    bannerFg: "#ffe08a",
    codeKeyword: "#d7a6ff",
    codeString: "#8fdc9f",
    codeComment: "#9aa3ae",
    codeTag: "#8cc2ff",
  },
};

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const vars = (p: Palette) => Object.entries(p).map(([k, v]) => `  --${kebab(k)}: ${v};`).join("\n");

/**
 * The palette as CSS variables: light by default, dark when the app chose it
 * (`data-theme="dark"`), and the system's choice before the app has chosen.
 */
export function paletteCss(): string {
  return [
    `:root {\n  color-scheme: light;\n${vars(PALETTE.light)}\n}`,
    `:root[data-theme="dark"] {\n  color-scheme: dark;\n${vars(PALETTE.dark)}\n}`,
    `@media (prefers-color-scheme: dark) {\n:root:not([data-theme]) {\n  color-scheme: dark;\n${
      vars(PALETTE.dark)
    }\n}\n}`,
  ].join("\n");
}
