// npm run kb:preview -- <article id> [--locale de] [--kb DIR]: one article as the web chat, an SMS and a
// phone call give it, with the SMS's segments and encoding and the spoken word count.
import path from 'node:path';
import { loadKnowledgeBase } from '../kb/loader.js';
import { channelForms } from '../kb/channel-forms.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const id = args.find((a, i) => !a.startsWith('--') && !['--locale', '--kb'].includes(args[i - 1] ?? ''));
if (!id) {
  console.error('usage: npm run kb:preview -- <article id> [--locale de] [--kb DIR]');
  process.exit(2);
}
const kbDir = path.resolve(option('--kb') ?? process.env.KB_DIR ?? './kb-content');
const locale = option('--locale');
const publicUrl = (process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '');
const { articles } = await loadKnowledgeBase(kbDir);
const found = articles.filter((a) => a.id === id && (!locale || a.locale === locale));
if (found.length === 0) {
  console.error(`no article "${id}"${locale ? ` in ${locale}` : ''} under ${kbDir}`);
  process.exit(1);
}
for (const article of found) {
  const forms = channelForms(article, publicUrl);
  console.log(`# ${article.id} (${article.locale}) ${article.path}\n`);
  console.log(`## Web chat (card)\n${forms.web.title}\n${forms.web.summary}\n[${forms.web.url}]\n`);
  console.log(`## SMS: ${forms.sms.segments} segment(s), ${forms.sms.encoding}${forms.sms.fits ? '' : ', summary shortened'}\n${forms.sms.text}\n`);
  console.log(`## Phone: summary ${forms.voice.summaryWords} spoken words${forms.voice.fits ? '' : ' (cut)'}\n${forms.voice.text}\n`);
}
