/** Light and dark, following the system until the user picks one (remembered). */
import { useEffect, useState } from "react";

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

/** connect-react's theme (react-select needs concrete colours, not CSS variables). */
export function connectReactTheme(theme: Theme) {
  const dark = theme === "dark";
  return {
    borderRadius: 8,
    colors: dark
      ? {
        primary: "#4c8dff",
        primary75: "#3b74d6",
        primary50: "#2a4f8f",
        primary25: "#1d2f52",
        danger: "#ff6b6b",
        dangerLight: "#4a1f1f",
        neutral0: "#171a21",
        neutral5: "#1d2129",
        neutral10: "#252a33",
        neutral20: "#363c47",
        neutral30: "#4a5160",
        neutral40: "#8a93a1",
        neutral50: "#a0a8b3",
        neutral60: "#b8bfc9",
        neutral70: "#ced3da",
        neutral80: "#e2e5e9",
        neutral90: "#f1f3f5",
        appIconBackground: "#252a33",
      }
      : { primary: "#1f6feb", primary25: "#e6efff", neutral0: "#ffffff", appIconBackground: "#f4f5f7" },
  };
}
