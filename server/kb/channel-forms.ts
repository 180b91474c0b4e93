// One article in the form each channel gives it: the web card, the SMS (summary + short link within
// 2 segments) and the spoken answer. The same renderers the bot uses, so kb:check and kb:preview show
// editors exactly what customers get.
import type { ArticleRef } from '../../bot/ports.js';
import { smsAnswerText, SMS_SEGMENTS } from '../../bot/replies/sms.js';
import { voiceReplies } from '../../bot/replies/voice.js';
import { gsmTwins, smsSegments } from '../../bot/replies/sms-length.js';
import { MAX_SPOKEN_WORDS, speakable, wordCount } from '../../bot/replies/speech.js';
import type { Article } from './types.js';
import { articlePath } from './render.js';
import { shortUrl } from './short-links.js';

export function articleRef(article: Article, publicUrl: string): ArticleRef {
  return {
    id: article.id,
    title: article.title,
    summary: article.summary,
    url: `${publicUrl}${articlePath(article.id, article.locale)}`,
    shortUrl: shortUrl(publicUrl, article.locale, article.id),
  };
}

export interface ChannelForms {
  web: { title: string; summary: string; url: string };
  sms: { text: string; segments: number; encoding: string; /** the whole summary fits, nothing shortened */ fits: boolean };
  voice: { text: string; summaryWords: number; fits: boolean };
}

export function channelForms(article: Article, publicUrl: string): ChannelForms {
  const ref = articleRef(article, publicUrl);
  const sms = smsAnswerText(ref, article.locale);
  // the message as it would be with the whole summary: the question is the SMS's last line
  const unshortened = smsSegments(`${gsmTwins(article.summary)}\n${ref.shortUrl}\n${sms.slice(sms.lastIndexOf('\n') + 1)}`);
  const spokenSummary = speakable(article.summary, article.locale, Number.POSITIVE_INFINITY);
  const voice = voiceReplies.answer(ref, article.locale)[0].text ?? '';
  return {
    web: { title: article.title, summary: article.summary, url: ref.url },
    sms: { text: sms, ...smsSegments(sms), fits: unshortened.segments <= SMS_SEGMENTS },
    voice: { text: voice, summaryWords: wordCount(spokenSummary), fits: wordCount(spokenSummary) <= MAX_SPOKEN_WORDS },
  };
}

/** Editor warnings for an article: its summary does not fit 2 SMS segments with its link, or is too long to say. */
export function channelWarnings(article: Article, publicUrl: string): string[] {
  const forms = channelForms(article, publicUrl);
  const warnings: string[] = [];
  if (!forms.sms.fits) warnings.push(`summary does not fit ${SMS_SEGMENTS} SMS segments with its link (${forms.sms.encoding}): SMS customers get it shortened`);
  if (!forms.voice.fits) warnings.push(`summary is ${forms.voice.summaryWords} spoken words (at most ${MAX_SPOKEN_WORDS}): callers hear it cut`);
  return warnings;
}
