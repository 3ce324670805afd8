/**
 * Fonts Teams uses, then the ones a Linux build machine has: Noto Sans CJK draws Japanese when no
 * Segoe UI / Yu Gothic is installed, so screenshots show real glyphs rather than empty boxes.
 */
export const TEAMS_FONT_STACK = "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, 'Yu Gothic UI', 'Meiryo UI', 'Hiragino Sans', 'Noto Sans', 'Noto Sans CJK JP', Roboto, 'Helvetica Neue', sans-serif";

const foreground = {
  default: { default: '#242424', subtle: '#616161' },
  dark: { default: '#242424', subtle: '#616161' },
  light: { default: '#ffffff', subtle: '#f5f5f5' },
  accent: { default: '#5b5fc7', subtle: '#7f85f5' },
  good: { default: '#237b4b', subtle: '#237b4b' },
  warning: { default: '#835b00', subtle: '#835b00' },
  attention: { default: '#c4314b', subtle: '#c4314b' },
};

/**
 * An Adaptive Cards host config resembling Microsoft Teams' light theme: its font stack, text sizes
 * (12/14/18/24 px), neutral foreground #242424, brand purple, status colours and 8/12/16 px spacing.
 * Teams does not publish its exact config; the numbers match what the Teams web client and Agents
 * Playground draw.
 */
export const TEAMS_LIGHT_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: TEAMS_FONT_STACK,
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#e0e0e0' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 20, large: 24, extraLarge: 32 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: { backgroundColor: '#ffffff', foregroundColors: foreground },
    emphasis: { backgroundColor: '#f5f5f5', foregroundColors: foreground },
    accent: { backgroundColor: '#e8ebfa', foregroundColors: foreground },
    good: { backgroundColor: '#f1faf1', foregroundColors: foreground },
    attention: { backgroundColor: '#fdf3f4', foregroundColors: foreground },
    warning: { backgroundColor: '#fff9f5', foregroundColors: foreground },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
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
  .ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; color: #242424; background: #ffffff;
    border: 1px solid #d1d1d1; border-radius: 4px; min-height: 32px; padding: 5px 12px; cursor: pointer; overflow: hidden; }
  .ac-pushButton.style-positive, .ac-pushButton.primary { background: #5b5fc7; border-color: #5b5fc7; color: #ffffff; }
  .ac-pushButton.style-destructive { background: #ffffff; border-color: #c4314b; color: #c4314b; }
  .ac-pushButton > div { white-space: normal !important; }
  .ac-input { font-family: inherit; font-size: 14px; color: #242424; }
  .ac-textInput, .ac-multichoiceInput.ac-choiceSetInput-compact, select.ac-input {
    width: 100%; min-height: 32px; padding: 5px 10px; border: 1px solid #d1d1d1; border-bottom-color: #616161; border-radius: 4px; background: #ffffff; }
  .ac-input.ac-input-validation-failed, .ac-input-validation-failed .ac-textInput { border-color: #c4314b; }
  .ac-choiceSetInput-expanded label, .ac-choiceSetInput-multiSelect label { font-size: 14px; color: #242424; }
  .ac-choiceSetInput-expanded input { width: 16px; height: 16px; margin: 2px 8px 0 0; accent-color: #5b5fc7; }
`;
