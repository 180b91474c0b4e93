// The e-mail for an agent's reply: plain text and simple HTML (everything the agent or customer typed is
// escaped), the agent's name, and a link that reopens the conversation in the widget. The resume token goes
// in the fragment (#token=…): browsers never send a fragment, so no server or proxy log sees it.

export interface ReplyMail {
  subject: string;
  text: string;
  html: string;
}

export interface ReplyContent {
  text: string;
  agentName: string;
  locale: string;
}

export function conversationLink(publicUrl: string, conversationId: string, resumeToken: string): string {
  return `${publicUrl}/?chat=open&conversation=${encodeURIComponent(conversationId)}#token=${encodeURIComponent(resumeToken)}`;
}

const WORDS = {
  de: { subject: 'Antwort von unserem Support-Team', wrote: (name: string) => `${name} hat Ihnen geantwortet:`, open: 'Zum Gespräch zurückkehren' },
  en: { subject: 'A reply from our support team', wrote: (name: string) => `${name} replied to you:`, open: 'Return to the conversation' },
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function composeReply(content: ReplyContent, link: string): ReplyMail {
  const words = content.locale.startsWith('de') ? WORDS.de : WORDS.en;
  const text = `${words.wrote(content.agentName)}\n\n${content.text}\n\n${words.open}: ${link}\n`;
  const paragraphs = content.text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
  const html =
    `<!doctype html><html><body style="font-family:sans-serif">\n<p>${escapeHtml(words.wrote(content.agentName))}</p>\n` +
    `<blockquote>${paragraphs}</blockquote>\n<p><a href="${escapeHtml(link)}">${escapeHtml(words.open)}</a></p>\n</body></html>\n`;
  return { subject: words.subject, text, html };
}
