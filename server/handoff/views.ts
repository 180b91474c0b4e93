// Server-rendered agent pages (login, console shell) from handlebars templates in server/views/agent/.
// Handlebars escapes every {{value}}; the pages never contain customer text (the console loads it as JSON).
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

const VIEWS = path.resolve(import.meta.dirname, '..', 'views', 'agent');
const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderAgentView(name: 'login' | 'console', data: Record<string, unknown>): string {
  let template = compiled.get(name);
  if (!template) {
    template = Handlebars.compile(fs.readFileSync(path.join(VIEWS, `${name}.hbs`), 'utf8'), { strict: false });
    compiled.set(name, template);
  }
  return template(data);
}
