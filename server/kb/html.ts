// The one HTML escaper: the same one handlebars uses for {{ }} in templates, so hand-built HTML
// (snippets) and templates escape alike.
import Handlebars from 'handlebars';

export function escapeHtml(text: string): string {
  return Handlebars.Utils.escapeExpression(text);
}
