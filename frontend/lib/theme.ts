/** Light and dark, following the system until the user picks one (remembered). */
import { useEffect, useState } from "react";
import { PALETTE } from "../../shared/palette.ts";

export type Theme = "light" | "dark";
export type ThemeChoice = Theme | "system";
const KEY = "pdc-theme";

function systemTheme(): Theme {
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function storedChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

/** Sets the page's theme before the first render, so a chosen theme never flashes the other one. */
export function applyInitialTheme() {
  const c = storedChoice();
  document.documentElement.dataset.theme = c === "system" ? systemTheme() : c;
}

/** The theme in effect, the user's choice (system, light or dark), and a way to change it (remembered). */
export function useTheme(): [Theme, ThemeChoice, (c: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(storedChoice);
  const [system, setSystem] = useState<Theme>(systemTheme);
  useEffect(() => {
    const mq = matchMedia("(prefers-color-scheme: dark)");
    const on = () => setSystem(systemTheme());
    mq.addEventListener("change", on);
    return () => mq.removeEventListener("change", on);
  }, []);
  const theme = choice === "system" ? system : choice;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return [theme, choice, (c) => {
    try {
      if (c === "system") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, c);
    } catch { /* storage disabled: the choice lasts for this page */ }
    setChoice(c);
  }];
}

/** connect-react's theme, from the same palette (react-select needs concrete colours, not CSS variables). */
export function connectReactTheme(theme: Theme) {
  const p = PALETTE[theme];
  const mix = (a: string, b: string, share: number) => `color-mix(in srgb, ${a} ${share}%, ${b})`;
  return {
    borderRadius: 8,
    colors: {
      primary: p.accent,
      primary75: mix(p.accent, p.card, 75),
      primary50: mix(p.accent, p.card, 50),
      primary25: mix(p.accent, p.card, 25),
      danger: p.danger,
      dangerLight: p.badBg,
      neutral0: p.card,
      neutral5: mix(p.fg, p.card, 4),
      neutral10: mix(p.fg, p.card, 8),
      neutral20: p.control,
      neutral30: p.control,
      neutral40: p.muted,
      neutral50: p.muted,
      neutral60: p.fg,
      neutral70: p.fg,
      neutral80: p.fg,
      neutral90: p.fg,
      optionHover: mix(p.accent, p.card, 14),
      optionSelected: mix(p.accent, p.card, 24),
      optionSelectedHover: mix(p.accent, p.card, 32),
      appIconBackground: p.codeBg,
    },
  };
}
