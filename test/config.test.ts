import { describe, expect, it } from 'vitest';
import { loadConfig, parseOpeningHours } from '../server/config.js';

describe('configuration from the environment', () => {
  it('starts with sensible defaults: port 3000, SQLite under ./data, the sample KB', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toMatch(/^sqlite:.*data\/support-desk\.sqlite$/);
    expect(config.kbDir).toMatch(/kb-content$/);
    expect(config.kbCacheDir).toMatch(/data\/kb-cache$/);
    expect(config.openingHours.timeZone).toBe('Europe/Berlin');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number from 0 to 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres:\/\//],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must be an http\(s\) URL/],
    [{ TIME_ZONE: 'Mars/Olympus' }, /TIME_ZONE is not a known IANA time zone/],
    [{ OPENING_HOURS: 'weekdays 9-5' }, /OPENING_HOURS has an entry "weekdays 9-5"/],
    [{ HOLIDAYS: '24.12.2026' }, /HOLIDAYS must list dates as YYYY-MM-DD/],
    [{ KB_WATCH: 'maybe' }, /KB_WATCH must be true or false/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes an IDENTITY_VERIFICATION_SECRET of at least 32 characters, and names the variable when it is shorter', () => {
    expect(loadConfig({}).identityVerificationSecret).toBeUndefined();
    expect(loadConfig({ IDENTITY_VERIFICATION_SECRET: 'x'.repeat(32) }).identityVerificationSecret).toBe('x'.repeat(32));
    expect(() => loadConfig({ IDENTITY_VERIFICATION_SECRET: 'short' })).toThrow(/IDENTITY_VERIFICATION_SECRET must be at least 32 characters/);
  });

  it('counts an idle agent as away after AGENT_AWAY_AFTER_MINUTES (10 by default), and names the variable when it is not a number of minutes', () => {
    expect(loadConfig({}).waiting.agentAwayAfterMinutes).toBe(10);
    expect(loadConfig({ AGENT_AWAY_AFTER_MINUTES: '3' }).waiting.agentAwayAfterMinutes).toBe(3);
    expect(() => loadConfig({ AGENT_AWAY_AFTER_MINUTES: 'soon' })).toThrow(/AGENT_AWAY_AFTER_MINUTES/);
    expect(() => loadConfig({ AGENT_AWAY_AFTER_MINUTES: '0' })).toThrow(/AGENT_AWAY_AFTER_MINUTES/);
  });

  it('turns e-mail replies on with SMTP_URL, and names SMTP_URL, EMAIL_FROM, EMAIL_AFTER_IDLE_MINUTES or RESUME_LINK_DAYS when one is wrong', () => {
    expect(loadConfig({}).email).toMatchObject({ smtpUrl: null, afterIdleMinutes: 5, resumeLinkDays: 30 });
    expect(
      loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.com:587', EMAIL_FROM: 'Support <help@example.com>', EMAIL_AFTER_IDLE_MINUTES: '15', RESUME_LINK_DAYS: '7' }).email,
    ).toEqual({
      smtpUrl: 'smtp://u:p@mail.example.com:587',
      from: 'Support <help@example.com>',
      afterIdleMinutes: 15,
      resumeLinkDays: 7,
    });
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
    expect(() => loadConfig({ SMTP_URL: 'mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ EMAIL_FROM: 'support' })).toThrow(/EMAIL_FROM must be an e-mail address/);
    expect(() => loadConfig({ EMAIL_AFTER_IDLE_MINUTES: 'soon' })).toThrow(/EMAIL_AFTER_IDLE_MINUTES/);
    expect(() => loadConfig({ RESUME_LINK_DAYS: '0' })).toThrow('Invalid configuration: RESUME_LINK_DAYS must be a whole number from 1 to 3650, got "0"');
    expect(() => loadConfig({ RESUME_LINK_DAYS: '2 weeks' })).toThrow(/RESUME_LINK_DAYS must be a whole number/);
  });

  it('switches the store to PostgreSQL for a postgres:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/support' }).databaseUrl).toBe('postgres://db/support');
  });

  it('reads opening hours per weekday, including ranges that wrap the week', () => {
    const weekly = parseOpeningHours('mon-fri 08:00-20:00; sat 09:00-16:00; sun 10:00-12:00');
    expect(weekly[1]).toEqual([{ from: 480, to: 1200 }]);
    expect(weekly[5]).toEqual([{ from: 480, to: 1200 }]);
    expect(weekly[6]).toEqual([{ from: 540, to: 960 }]);
    expect(weekly[0]).toEqual([{ from: 600, to: 720 }]);
    expect(parseOpeningHours('sat-mon 09:00-10:00').map((d) => d.length)).toEqual([1, 1, 0, 0, 0, 0, 1]);
  });
});
