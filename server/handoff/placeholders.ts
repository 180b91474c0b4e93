// Placeholders in canned replies ({{customer.name}}, {{agent.name}}): a tiny replacement over plain text, shared
// by the server (which refuses unknown placeholders when an admin saves) and the console (which fills them in
// the reply box). The result is plain text, shown and sent as text: nothing here is ever parsed as HTML.
export const PLACEHOLDERS = ['customer.name', 'customer.email', 'customer.phone', 'agent.name'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PATTERN = /\{\{\s*([A-Za-z]+(?:\.[A-Za-z]+)*)\s*\}\}/g;

/** Placeholders in the text that are not known (an admin's typo would otherwise reach customers verbatim). */
export function unknownPlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const match of template.matchAll(PATTERN)) if (!(PLACEHOLDERS as readonly string[]).includes(match[1])) unknown.add(match[1]);
  return [...unknown];
}

/**
 * The template with every known placeholder replaced by its value. A value we do not have becomes nothing, and
 * so does the space before it ("Hello {{customer.name}}," -> "Hello,").
 */
export function fillPlaceholders(template: string, values: Partial<Record<Placeholder, string | null | undefined>>): string {
  return template.replace(/([ \t]*)\{\{\s*([A-Za-z]+(?:\.[A-Za-z]+)*)\s*\}\}/g, (whole, space: string, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) return whole;
    const value = values[name as Placeholder]?.trim();
    return value ? `${space}${value}` : '';
  });
}
