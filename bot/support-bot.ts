// The conversation: understand the customer, answer from the KB, clarify, or hand over to a person.
// Channel-agnostic: it talks to the world only through the ports and renders through bot/replies.
import { ActivityHandler, type Activity, type ConversationState, type StatePropertyAccessor, type TurnContext, type UserState } from 'botbuilder';
import type {
  ArticleRef,
  Clock,
  ConversationRef,
  EscalationReason,
  FeedbackLog,
  Handoff,
  KbHit,
  KbSearchResult,
  KnowledgeBase,
  Locale,
  SearchLog,
  LearningLog,
  TurnDecision,
  TurnFollowUp,
  TurnLog,
  StarterTopics,
} from './ports.js';
import { decide as defaultDecide, type Decision, type PolicyOptions } from './policy.js';
import { understand, detectLocale, Actions, type Intent } from './understanding.js';
import { stringsFor } from './strings.js';
import { rendererFor, renderAnswer, renderHandoff, renderSuggestions, renderText, renderWaitingAnswer, showsAlternativesWithAnswer } from './replies/index.js';
import { alreadyQueued, withTheTeam } from './replies/handoff-words.js';
import { looksLikeSupportQuestion, nextSuggestions } from './hand-over-rules.js';

/** What the bot remembers about one conversation (persisted by ConversationState). */
export interface ConversationData {
  locale?: Locale;
  /** 'channel' when the channel said so (the widget's data-locale): detection never overrides it */
  localeSource?: 'channel' | 'detected' | 'default';
  /** unanswered turns in a row */
  misses: number;
  /** the article the bot just answered with, while it waits for "did this answer your question?" */
  awaitingFeedbackOn?: ArticleRef;
  /** the last article answered, for "that did not help" */
  lastAnswered?: ArticleRef;
  /** the "did you mean" candidates last offered, so a click can show one */
  suggested: ArticleRef[];
  /** the customer's question those candidates were offered for: picking one is evidence for the article */
  suggestedFor?: string;
  offeredArticleIds: string[];
  feedback: Array<{ articleId: string; helpful: boolean }>;
  /** the runners-up of the last answered search, offered if the answer did not help */
  nextSuggestions?: ArticleRef[];
}

/** What the bot remembers about the customer across conversations (persisted by UserState). */
export interface UserProfile {
  locale?: Locale;
}

export interface SupportBotOptions {
  missesBeforeEscalation: number;
  /** how many hits to ask the KB for */
  searchLimit?: number;
  /** the decision; bot/policy.ts unless a caller (kb:eval, a test) passes its own */
  decide?: (result: KbSearchResult, options?: PolicyOptions) => Decision;
  /** passed through to the decision (thresholds from configuration) */
  policyOptions?: PolicyOptions;
}

export interface SupportBotDeps {
  knowledgeBase: KnowledgeBase;
  handoff: Handoff;
  searchLog: SearchLog;
  feedbackLog: FeedbackLog;
  /** where a question whose suggestion the customer picked goes (learned evidence); optional */
  learningLog?: LearningLog;
  /** every question turn and what the customer did next (insights); optional */
  turnLog?: TurnLog;
  /** the greeting's starter topics on the web chat; optional */
  starterTopics?: StarterTopics;
  clock: Clock;
  conversationState: ConversationState;
  userState: UserState;
  options: SupportBotOptions;
}

/** an e-mail address or a run of digits: the customer is leaving a contact */
const LOOKS_LIKE_CONTACT = /@|\d[\d\s\-/().]{5,}\d/;

function articleRef(hit: KbHit): ArticleRef {
  return { id: hit.id, title: hit.title, summary: hit.summary, url: hit.url, ...(hit.shortUrl ? { shortUrl: hit.shortUrl } : {}) };
}

export class SupportBot extends ActivityHandler {
  private readonly conversationData: StatePropertyAccessor<ConversationData>;
  private readonly userProfile: StatePropertyAccessor<UserProfile>;

  constructor(private readonly deps: SupportBotDeps) {
    super();
    this.conversationData = deps.conversationState.createProperty<ConversationData>('supportBot');
    this.userProfile = deps.userState.createProperty<UserProfile>('profile');

    this.onMembersAdded(async (context, next) => {
      const customerJoined = (context.activity.membersAdded ?? []).some((m) => m.id !== context.activity.recipient?.id);
      if (customerJoined) {
        const data = await this.load(context);
        const locale = await this.resolveLocale(context, data, undefined);
        const topics = await this.starterTopics(context.activity.channelId, locale);
        // offered like suggestions, so pressing one is answered as a picked suggestion
        if (topics.length) data.suggested = topics;
        const quickReplies = topics.length ? topics.map((topic) => ({ label: topic.title, action: Actions.article(topic.id) })) : undefined;
        await this.send(context, renderText(context.activity.channelId, stringsFor(locale).greeting, { locale, decision: 'greeting', quickReplies }));
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  /** Runs the turn, then saves the state: a restart between turns loses nothing. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
    await this.deps.userState.saveChanges(context, false);
  }

  private async load(context: TurnContext): Promise<ConversationData> {
    return this.conversationData.get(context, { misses: 0, suggested: [], offeredArticleIds: [], feedback: [] });
  }

  private supported(locale: string | undefined): Locale | undefined {
    if (!locale) return undefined;
    const locales = this.deps.knowledgeBase.locales();
    return locales.find((l) => l === locale) ?? locales.find((l) => l === locale.slice(0, 2).toLowerCase());
  }

  /** The channel's stated locale wins; else what the customer writes in; else a hint, what we knew, the KB's default. */
  private async resolveLocale(context: TurnContext, data: ConversationData, text: string | undefined): Promise<Locale> {
    const profile = await this.userProfile.get(context, {});
    const fromChannel = this.supported(context.activity.locale);
    if (fromChannel) {
      data.locale = fromChannel;
      data.localeSource = 'channel';
    } else if (data.localeSource !== 'channel' && text) {
      const detected = detectLocale(text, this.deps.knowledgeBase.locales());
      if (detected) {
        data.locale = detected;
        data.localeSource = 'detected';
      }
    }
    if (!data.locale) {
      // a weaker signal than a stated locale (e.g. the browser's Accept-Language): used until the customer writes
      const hint = this.supported(context.activity.channelData?.localeHint);
      data.locale = hint ?? this.supported(profile.locale) ?? this.deps.knowledgeBase.locales()[0] ?? 'en';
      data.localeSource = 'default';
    }
    if (data.localeSource !== 'default') profile.locale = data.locale;
    return data.locale;
  }

  private async send(context: TurnContext, activities: Partial<Activity>[]): Promise<void> {
    if (activities.length) await context.sendActivities(activities);
  }

  /** Buttons only where buttons are shown (the web chat); a failing lookup costs the greeting nothing. */
  private async starterTopics(channel: string, locale: Locale): Promise<ArticleRef[]> {
    if (!this.deps.starterTopics || rendererFor(channel) !== rendererFor('web')) return [];
    try {
      return await this.deps.starterTopics.forLocale(locale);
    } catch {
      return [];
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation.id;
    // An agent has the conversation: the customer's message is in the transcript for them; the bot stays silent.
    const withHuman = await this.deps.handoff.humanStatus(conversationId);
    if (withHuman?.status === 'assigned') return;

    const action = typeof context.activity.value?.action === 'string' ? (context.activity.value.action as string) : undefined;
    const intent = understand(context.activity.text, action);
    const data = await this.load(context);
    const locale = await this.resolveLocale(context, data, intent.kind === 'question' ? intent.text : undefined);
    const s = stringsFor(locale);
    const channel = context.activity.channelId;
    const say = (text: string, decision: string, withPerson = false) =>
      this.send(context, renderText(channel, text, { locale, decision, quickReplies: withPerson ? [{ label: s.talkToPerson, action: Actions.human }] : undefined }));
    if (withHuman) return this.whileQueued(context, data, locale, intent, withHuman.awaitingContact === true);

    const awaiting = data.awaitingFeedbackOn;
    data.awaitingFeedbackOn = undefined;

    switch (intent.kind) {
      case 'empty':
        return;
      case 'greeting':
        return say(s.howCanIHelp, 'small_talk');
      case 'thanks':
        return say(s.youAreWelcome, 'small_talk');
      case 'goodbye':
        return say(s.goodbye, 'small_talk');
      case 'human':
        await this.followUp(conversationId, { kind: 'asked_person' });
        return this.escalate(context, data, locale, 'customer_request');
      case 'yes':
        if (!awaiting) return say(s.howCanIHelp, 'small_talk');
        await this.followUp(conversationId, { kind: 'helpful' });
        await this.recordFeedback(context, data, locale, awaiting, true);
        data.misses = 0;
        return say(s.gladToHelp, 'feedback');
      case 'no':
        if (!awaiting) return say(s.howCanIHelp, 'small_talk');
        await this.followUp(conversationId, { kind: 'not_helpful' });
        await this.recordFeedback(context, data, locale, awaiting, false);
        return this.offerAfterNotHelpful(context, data, locale);
      case 'not_helpful': {
        const article = awaiting ?? data.lastAnswered;
        await this.followUp(conversationId, { kind: 'not_helpful' });
        if (article && !data.feedback.some((f) => f.articleId === article.id && !f.helpful)) {
          await this.recordFeedback(context, data, locale, article, false);
        }
        return this.offerAfterNotHelpful(context, data, locale);
      }
      case 'rephrase':
        return say(s.rephrasePrompt, 'rephrase', true);
      case 'show_article': {
        const article = data.suggested.find((a) => a.id === intent.articleId);
        if (!article) return say(s.howCanIHelp, 'small_talk');
        await this.followUp(conversationId, { kind: 'picked', option: data.suggested.indexOf(article) + 1 });
        if (data.suggestedFor && this.deps.learningLog) {
          await this.deps.learningLog.record({ question: data.suggestedFor, articleId: article.id, locale, source: 'customer_pick', conversationId });
        }
        data.nextSuggestions = data.suggested.filter((a) => a.id !== article.id);
        return this.answer(context, data, locale, article);
      }
      case 'none_of_these':
        // they read the candidates and none fit: a support question the KB lacks
        return this.miss(context, data, locale, true);
      case 'question':
        await this.followUp(conversationId, { kind: 'asked_again' });
        return this.question(context, data, locale, intent);
    }
  }

  /** Searches the KB, decides with the policy and logs the search (as `loggedAs` the decision, when given). */
  private async searchAndDecide(context: TurnContext, query: string, locale: Locale, loggedAs?: (decision: Decision) => string) {
    const decide = this.deps.options.decide ?? defaultDecide;
    const result = await this.deps.knowledgeBase.search(query, locale, { limit: this.deps.options.searchLimit ?? 5 });
    const decision = decide(result, this.deps.options.policyOptions);
    const top = result.hits[0];
    await this.deps.searchLog.record({
      query,
      locale,
      channel: context.activity.channelId,
      decision: loggedAs ? loggedAs(decision) : decision.kind,
      topArticleId: top?.id ?? null,
      score: top ? top.confidence : null,
      conversationId: context.activity.conversation.id,
    });
    return { result, decision, top };
  }

  private async question(context: TurnContext, data: ConversationData, locale: Locale, intent: Extract<Intent, { kind: 'question' }>): Promise<void> {
    const { result, decision, top } = await this.searchAndDecide(context, intent.text, locale);
    await this.recordTurn(context, locale, intent.text, decision, data, top?.score ?? null);
    data.nextSuggestions = top ? nextSuggestions(result, top.id, this.deps.options.policyOptions).map(articleRef) : [];
    if (decision.kind === 'answer') return this.answer(context, data, locale, articleRef(decision.article));
    const channel = context.activity.channelId;
    if (decision.kind === 'answer_with_alternatives' && showsAlternativesWithAnswer(channel)) {
      await this.answer(context, data, locale, articleRef(decision.article), decision.alternatives.map(articleRef));
      data.suggestedFor = intent.text;
      return;
    }
    if (decision.kind === 'suggest' || decision.kind === 'answer_with_alternatives') {
      // SMS and voice: one uncertain best article with its alternatives becomes a short numbered choice, best first
      const candidates = decision.kind === 'suggest' ? decision.articles : [decision.article, ...decision.alternatives];
      data.suggested = candidates.slice(0, 3).map(articleRef);
      data.suggestedFor = intent.text;
      this.offered(data, data.suggested);
      return this.send(context, renderSuggestions(context.activity.channelId, data.suggested, locale));
    }
    return this.miss(context, data, locale, looksLikeSupportQuestion(intent.text, result, this.deps.options.policyOptions));
  }

  private async answer(context: TurnContext, data: ConversationData, locale: Locale, article: ArticleRef, alternatives: ArticleRef[] = []): Promise<void> {
    data.misses = 0;
    data.awaitingFeedbackOn = article;
    data.lastAnswered = article;
    // the alternatives can be picked like suggestions
    data.suggested = alternatives;
    data.suggestedFor = undefined;
    this.offered(data, [article, ...alternatives]);
    await this.send(context, renderAnswer(context.activity.channelId, article, locale, alternatives));
  }

  /**
   * An unanswered turn: ask to rephrase, or hand over once the customer has tried often enough with
   * questions that look like support questions (bot/hand-over-rules.ts); small talk only gets the button.
   */
  private async miss(context: TurnContext, data: ConversationData, locale: Locale, supportLike: boolean): Promise<void> {
    const s = stringsFor(locale);
    data.suggested = [];
    if (!supportLike) {
      return this.send(
        context,
        renderText(context.activity.channelId, s.rephrase, { locale, decision: 'off_topic', quickReplies: [{ label: s.talkToPerson, action: Actions.human }] }),
      );
    }
    data.misses += 1;
    if (data.misses >= this.deps.options.missesBeforeEscalation) {
      return this.escalate(context, data, locale, 'no_answer');
    }
    await this.send(
      context,
      renderText(context.activity.channelId, s.rephrase, { locale, decision: 'no_match', quickReplies: [{ label: s.talkToPerson, action: Actions.human }] }),
    );
  }

  /** One row per question turn; a no-match that reaches the miss limit is recorded as the hand-over it causes. */
  private async recordTurn(context: TurnContext, locale: Locale, query: string, decision: Decision, data: ConversationData, rawScore: number | null): Promise<void> {
    if (!this.deps.turnLog) return;
    const offered: KbHit[] =
      decision.kind === 'answer' ? [decision.article]
        : decision.kind === 'answer_with_alternatives' ? [decision.article, ...decision.alternatives]
          : decision.kind === 'suggest' ? decision.articles.slice(0, 3)
            : [];
    const kind: TurnDecision = decision.kind === 'no_match' && data.misses + 1 >= this.deps.options.missesBeforeEscalation ? 'hand_over' : decision.kind;
    await this.deps.turnLog.record({
      conversationId: context.activity.conversation.id,
      query,
      locale,
      channel: context.activity.channelId,
      decision: kind,
      articles: offered.map((h) => ({ id: h.id, confidence: h.confidence })),
      rawScore,
    });
  }

  private async followUp(conversationId: string, followUp: TurnFollowUp): Promise<void> {
    await this.deps.turnLog?.followUp(conversationId, followUp);
  }

  /** "No, that did not help": the runners-up if there are any, a rephrase and a person; the hand-over waits for the pick. */
  private async offerAfterNotHelpful(context: TurnContext, data: ConversationData, locale: Locale): Promise<void> {
    // on the phone a menu of more articles is a burden: the caller is put through at once
    if (context.activity.channelId === 'voice') return this.escalate(context, data, locale, 'not_helpful');
    const s = stringsFor(locale);
    const rejected = new Set(data.feedback.filter((f) => !f.helpful).map((f) => f.articleId));
    const alternatives = (data.nextSuggestions ?? []).filter((a) => !rejected.has(a.id)).slice(0, 3);
    data.suggested = alternatives;
    data.nextSuggestions = [];
    this.offered(data, alternatives);
    const quickReplies = [
      ...alternatives.map((a) => ({ label: a.title, action: Actions.article(a.id) })),
      { label: s.rephraseButton, action: Actions.rephrase },
      { label: s.talkToPerson, action: Actions.human },
    ];
    const text = alternatives.length ? s.notHelpfulOffer : s.notHelpfulNoAlternatives;
    await this.send(context, renderText(context.activity.channelId, text, { locale, decision: 'not_helpful', quickReplies }));
  }

  /**
   * The customer waits for a person: every message is acknowledged once, a question the KB answers
   * confidently also gets its article as help while they wait, and asking for a person again says where they stand.
   */
  private async whileQueued(context: TurnContext, data: ConversationData, locale: Locale, intent: Intent, awaitingContact: boolean): Promise<void> {
    const channel = context.activity.channelId;
    if (intent.kind === 'empty') return;
    if (intent.kind === 'human') {
      // escalating a queued conversation changes nothing and says where it stands
      const ref: ConversationRef = { conversationId: context.activity.conversation.id, channel, locale };
      const outcome = await this.deps.handoff.escalate(ref, 'customer_request', { offeredArticleIds: [...data.offeredArticleIds], feedback: [...data.feedback] });
      const position = outcome.kind === 'queued' ? outcome.position : null;
      return this.send(context, renderText(channel, alreadyQueued(locale, position), { locale, author: 'system', decision: 'already_queued' }));
    }
    // outside opening hours the handoff confirms a left contact itself: one acknowledgement, not two
    if (awaitingContact && LOOKS_LIKE_CONTACT.test(context.activity.text ?? '')) return;
    await this.send(context, renderText(channel, withTheTeam(locale), { locale, author: 'system', decision: 'with_the_team' }));
    if (intent.kind !== 'question') return;
    const { decision } = await this.searchAndDecide(context, intent.text, locale, (d) => (d.kind === 'answer' ? 'answer_while_waiting' : d.kind));
    if (decision.kind !== 'answer') return;
    const article = articleRef(decision.article);
    this.offered(data, [article]);
    await this.send(context, renderWaitingAnswer(channel, article, locale));
  }

  private offered(data: ConversationData, articles: ArticleRef[]): void {
    for (const a of articles) if (!data.offeredArticleIds.includes(a.id)) data.offeredArticleIds.push(a.id);
  }

  private async recordFeedback(context: TurnContext, data: ConversationData, locale: Locale, article: ArticleRef, helpful: boolean): Promise<void> {
    data.feedback.push({ articleId: article.id, helpful });
    await this.deps.feedbackLog.record({ articleId: article.id, locale, helpful, channel: context.activity.channelId, conversationId: context.activity.conversation.id });
  }

  private async escalate(context: TurnContext, data: ConversationData, locale: Locale, reason: EscalationReason): Promise<void> {
    const channel = context.activity.channelId;
    data.misses = 0;
    data.suggested = [];
    const ref: ConversationRef = { conversationId: context.activity.conversation.id, channel, locale };
    const outcome = await this.deps.handoff.escalate(ref, reason, { offeredArticleIds: [...data.offeredArticleIds], feedback: [...data.feedback] });
    await this.send(context, renderHandoff(channel, outcome, locale));
  }
}
