// Web chat rendering: an article as a hero card (title, summary, link to the help center) with
// quick replies; suggestions as chips. The web chat adapter turns these into message JSON.
import { ActionTypes, CardFactory, type Activity, type CardAction } from 'botbuilder';
import type { ArticleRef, ReplyOption } from '../ports.js';
import { Actions } from '../understanding.js';
import { stringsFor } from '../strings.js';
import type { ReplyRenderer } from './index.js';
import { withTranscript } from './transcript-entry.js';
import { apology, away, joinSentences, leaveContact, noticeText, passingOn, queuePosition } from './handoff-words.js';

function buttons(options: ReplyOption[]): CardAction[] {
  return options.map((o) => ({ type: ActionTypes.PostBack, title: o.label, value: o.action, text: o.label }));
}

export const webReplies: ReplyRenderer = {
  showsAlternativesWithAnswer: true,
  answer(article, locale, alternatives = []) {
    const s = stringsFor(locale);
    // "or did you mean…": the runners-up as chips under the question, picked like suggestions
    const suggestions: ReplyOption[] = alternatives.map((a) => ({ label: a.title, action: Actions.article(a.id) }));
    const quickReplies: ReplyOption[] = [
      { label: s.yesHelped, action: Actions.helpful },
      { label: s.no, action: Actions.notHelpful },
      { label: s.talkToPerson, action: Actions.human },
    ];
    const card = CardFactory.heroCard(article.title, article.summary, [], [{ type: ActionTypes.OpenUrl, title: s.readArticle, value: article.url }]);
    return [
      withTranscript(
        { type: 'message', text: s.answerLead, attachments: [card] },
        { author: 'bot', payload: { articles: [article], decision: suggestions.length ? 'answer_with_alternatives' : 'answer' } },
      ),
      withTranscript(
        {
          type: 'message',
          text: suggestions.length ? `${s.didThisAnswer} ${s.orDidYouMean}` : s.didThisAnswer,
          suggestedActions: { to: [], actions: buttons([...quickReplies.slice(0, 2), ...suggestions, ...quickReplies.slice(2)]) },
        },
        { author: 'bot', payload: suggestions.length ? { quickReplies, suggestions } : { quickReplies } },
      ),
    ];
  },

  waitingAnswer(article, locale) {
    const s = stringsFor(locale);
    const card = CardFactory.heroCard(article.title, article.summary, [], [{ type: ActionTypes.OpenUrl, title: s.readArticle, value: article.url }]);
    return [withTranscript({ type: 'message', text: s.whileYouWait, attachments: [card] }, { author: 'bot', payload: { articles: [article], decision: 'answer_while_waiting' } })];
  },

  suggestions(articles, locale) {
    const s = stringsFor(locale);
    const suggestions: ReplyOption[] = articles.map((a) => ({ label: a.title, action: Actions.article(a.id) }));
    const quickReplies: ReplyOption[] = [
      { label: s.noneOfThese, action: Actions.noneOfThese },
      { label: s.talkToPerson, action: Actions.human },
    ];
    const activity: Partial<Activity> = {
      type: 'message',
      text: s.didYouMean,
      suggestedActions: { to: [], actions: buttons([...suggestions, ...quickReplies]) },
    };
    return [withTranscript(activity, { author: 'bot', payload: { suggestions, quickReplies, decision: 'suggest' } })];
  },

  text(text, { author = 'bot', quickReplies, decision }) {
    const activity: Partial<Activity> = { type: 'message', text };
    if (quickReplies?.length) activity.suggestedActions = { to: [], actions: buttons(quickReplies) };
    const payload = quickReplies?.length || decision ? { ...(quickReplies?.length ? { quickReplies } : {}), ...(decision ? { decision } : {}) } : null;
    return [withTranscript(activity, { author, payload })];
  },

  // One hand-over sentence that is true: "passing you on" only when someone is there, the opening time when not.
  handoff(outcome, locale) {
    const lead = outcome.kind === 'queued' ? passingOn(locale) : away(locale, outcome.nextOpening, outcome.timeZone);
    const status = outcome.kind === 'queued' ? queuePosition(locale, outcome.position, outcome.waitMinutes) : leaveContact(locale);
    return [
      withTranscript({ type: 'message', text: joinSentences(apology(outcome.reason, locale), lead) }, { author: 'bot', payload: { decision: 'escalate' } }),
      withTranscript({ type: 'message', text: status }, { author: 'system', payload: null }),
    ];
  },

  notice(outcome, locale) {
    return noticeText(outcome, locale);
  },
};
