/** The filled text, and the placeholders that had no value. */
export interface FilledTemplate {
  readonly text: string;
  readonly problems: readonly string[];
}

const PLACEHOLDER = /\{\{([A-Z0-9_]+)\}\}/g;

/**
 * Replaces `{{NAME}}` in a JSON template with the value escaped for a JSON string, so a developer
 * name with quotes or backslashes cannot break the manifest. Unknown placeholders are reported.
 */
export function fillTemplate(templateName: string, template: string, values: Readonly<Record<string, string>>): FilledTemplate {
  const unknown = new Set<string>();
  const text = template.replace(PLACEHOLDER, (match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      unknown.add(name);
      return match;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  const problems = [...unknown].map(
    (name) => `${templateName} uses the placeholder {{${name}}}, which has no value: use one of ${Object.keys(values).join(', ')}`,
  );
  return { text, problems };
}
