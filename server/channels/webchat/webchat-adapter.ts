// The web chat channel as a botbuilder adapter: an HTTP request becomes an Activity, and the replies the
// transcript middleware stored during the turn become the HTTP response. Delivery to open sockets happens
// through the bus when they are stored. The turn machinery is every channel's (../channel-adapter.ts).
import { ChannelAdapter } from '../channel-adapter.js';

export { BOT_ACCOUNT, type TurnResult, type BotLogic } from '../channel-adapter.js';

export const WEB_CHANNEL = 'web';

export class WebChatAdapter extends ChannelAdapter {
  constructor() {
    super(WEB_CHANNEL);
  }
}
