// Telling the agent a customer is waiting while they look elsewhere: a short tone and a desktop
// notification, both only after the agent switched them on (browsers require a click for either).
import { t } from './i18n.js';
export class Alerts {
  private enabled = localStorage.getItem('agent-alerts') === 'on';
  private audio: AudioContext | undefined;

  constructor(private readonly toggle: HTMLButtonElement | null) {
    this.render();
    toggle?.addEventListener('click', async () => {
      this.enabled = !this.enabled;
      localStorage.setItem('agent-alerts', this.enabled ? 'on' : 'off');
      if (this.enabled && 'Notification' in window && Notification.permission === 'default') await Notification.requestPermission();
      if (this.enabled) this.audio ??= new AudioContext();
      this.render();
    });
  }

  private render() {
    if (!this.toggle) return;
    this.toggle.setAttribute('aria-pressed', String(this.enabled));
    this.toggle.textContent = this.enabled ? t.alertsOn : t.alertsOff;
  }

  notify(title: string, body: string) {
    if (!this.enabled) return;
    this.beep();
    if ('Notification' in window && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
      new Notification(title, { body, tag: 'support-desk-queue' });
    }
  }

  private beep() {
    try {
      this.audio ??= new AudioContext();
      const oscillator = this.audio.createOscillator();
      const gain = this.audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, this.audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, this.audio.currentTime + 0.3);
      oscillator.connect(gain).connect(this.audio.destination);
      oscillator.start();
      oscillator.stop(this.audio.currentTime + 0.3);
    } catch {
      // no audio device: the notification and the live region still tell
    }
  }
}
