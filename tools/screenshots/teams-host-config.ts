/**
 * Fonts Teams uses, then the ones a Linux build machine has: Noto Sans CJK draws Japanese when no
 * Segoe UI / Yu Gothic is installed, so screenshots show real glyphs rather than empty boxes.
 */
const TEAMS_FONT_STACK =
  "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, 'Yu Gothic UI', 'Meiryo UI', 'Hiragino Sans', 'Noto Sans', 'Noto Sans CJK JP', Roboto, 'Helvetica Neue', sans-serif";

const foreground = {
  default: { default: '#ff252424', subtle: '#bf252424' },
  dark: { default: '#252424', subtle: '#bf252424' },
  light: { default: '#ffffff', subtle: '#fff3f2f1' },
  accent: { default: '#6264a7', subtle: '#8b8cc7' },
  good: { default: '#92c353', subtle: '#e592c353' },
  warning: { default: '#f8d22a', subtle: '#e5f8d22a' },
  attention: { default: '#c4314b', subtle: '#e5c4314b' },
};

/**
 * An Adaptive Cards host config resembling Microsoft Teams' light theme: its font stack, text sizes
 * (12/14/18/24 px), foreground #252424 (subtle at 75 %), the purple accent, the status colours
 * (good #92c353, warning #f8d22a, attention #c4314b) and 8/12/16 px spacing, as Agents Playground
 * draws Teams cards. Keeping Teams' own light green and yellow makes their low contrast visible here.
 */
export const TEAMS_LIGHT_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: TEAMS_FONT_STACK,
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#eeeeee' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 20, large: 24, extraLarge: 32 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: { backgroundColor: '#ffffff', foregroundColors: foreground },
    emphasis: { backgroundColor: '#f9f8f7', foregroundColors: foreground },
    accent: { backgroundColor: '#c7def9', foregroundColors: foreground },
    good: { backgroundColor: '#cce4c0', foregroundColors: foreground },
    attention: { backgroundColor: '#f8d7da', foregroundColors: foreground },
    warning: { backgroundColor: '#fde7a3', foregroundColors: foreground },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    // The gap comes from CSS below: the renderer's spacer elements would indent a wrapped row.
    buttonSpacing: 0,
    showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
    iconPlacement: 'leftOfTitle',
    iconSize: 16,
  },
  adaptiveCard: { allowCustomStyle: true },
  factSet: {
    title: { size: 'default', color: 'default', isSubtle: false, weight: 'bolder', wrap: true, maxWidth: 150 },
    value: { size: 'default', color: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 16,
  },
  textBlock: { headingLevel: 2 },
  inputs: {
    label: {
      inputSpacing: 'small',
      requiredInputs: { weight: 'default', suffix: ' *', suffixColor: 'attention' },
      optionalInputs: { weight: 'default' },
    },
    errorMessage: { size: 'small', spacing: 'small', weight: 'default' },
  },
} as const;

/** Styles for what the host config does not cover (buttons, inputs), after Teams' Fluent UI controls. */
export const TEAMS_LIGHT_CSS = `
  * { box-sizing: border-box; }
  body { margin: 0; background: #f5f5f5; font-family: ${TEAMS_FONT_STACK}; -webkit-font-smoothing: antialiased; }
  .frame { padding: 16px; }
  .card { background: #ffffff; border-radius: 6px; box-shadow: 0 0 2px rgba(0,0,0,.12), 0 2px 4px rgba(0,0,0,.14); overflow: hidden; }
  .ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; color: #252424; background: #ffffff;
    border: 1px solid #d1d1d1; border-radius: 4px; min-height: 32px; padding: 5px 12px; cursor: pointer; overflow: hidden; }
  .ac-pushButton.style-positive, .ac-pushButton.primary { background: #6264a7; border-color: #6264a7; color: #ffffff; }
  .ac-pushButton.style-destructive { background: #ffffff; border-color: #c4314b; color: #c4314b; }
  /* Teams puts buttons that do not fit on one row on the next row, each keeping its one-line title. */
  .ac-actionSet { flex-wrap: wrap !important; gap: 8px; }
  .ac-actionSet > .ac-pushButton { flex: 0 0 auto !important; max-width: 100%; }
  .ac-pushButton > div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .ac-input { font-family: inherit; font-size: 14px; color: #252424; }
  .ac-textInput, .ac-multichoiceInput.ac-choiceSetInput-compact, select.ac-input {
    width: 100%; min-height: 32px; padding: 5px 10px; border: 1px solid #d1d1d1; border-bottom-color: #616161; border-radius: 4px; background: #ffffff; }
  .ac-input.ac-input-validation-failed, .ac-input-validation-failed .ac-textInput { border-color: #c4314b; }
  .ac-choiceSetInput-expanded label, .ac-choiceSetInput-multiSelect label { font-size: 14px; color: #252424; }
  .ac-choiceSetInput-expanded input { width: 16px; height: 16px; margin: 2px 8px 0 0; accent-color: #6264a7; }
`;
