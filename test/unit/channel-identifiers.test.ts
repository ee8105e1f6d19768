/**
 * No consent for a channel without its identifier (A4, B5, N16): which channels of a purpose a grant may
 * be recorded on, given the person's identifiers (server/src/domain/channel-identifiers.ts).
 */
import { CHANNELS } from '../../shared/contracts/domain';
import { channelReachable, grantableChannels, identifierFor } from '../../server/src/domain/channel-identifiers';

describe('A4, B5, N16: the identifier each channel is about', () => {
  it('email needs an address; sms, phone, automated calls and fax a number; postal, push and web none the plugin holds', () => {
    expect(Object.fromEntries(CHANNELS.map((c) => [c, identifierFor(c)]))).toEqual({
      email: 'email',
      sms: 'phone',
      phone: 'phone',
      'automated-call': 'phone',
      fax: 'phone',
      postal: null,
      push: null,
      web: null,
    });
  });

  it('B5/N16: an email address never makes a phone or SMS channel reachable', () => {
    expect(channelReachable('sms', { email: 'a@example.com' })).toBe(false);
    expect(channelReachable('phone', { email: 'a@example.com' })).toBe(false);
    expect(channelReachable('email', { phone: '+33612345678' })).toBe(false);
    expect(channelReachable('postal', {})).toBe(true);
  });
});

describe('A4, B5, N16: grantableChannels', () => {
  it('A4/N16: every channel without its identifier → refused, naming each missing field once', () => {
    expect(grantableChannels(['sms', 'phone'], { email: 'a@example.com' })).toEqual({
      ok: false,
      missing: ['subject.phone'],
    });
    expect(grantableChannels(['email'], { phone: '+33612345678' })).toEqual({ ok: false, missing: ['subject.email'] });
    expect(grantableChannels(['email', 'phone'], {})).toEqual({
      ok: false,
      missing: ['subject.email', 'subject.phone'],
    });
  });

  it('A4/B5: some channels with their identifier → recorded on those only (the reading chosen)', () => {
    expect(grantableChannels(['email', 'phone'], { email: 'a@example.com' })).toEqual({
      ok: true,
      channels: ['email'],
      dropped: ['phone'],
    });
    expect(grantableChannels(['email', 'sms'], { phone: '+33612345678' })).toEqual({
      ok: true,
      channels: ['sms'],
      dropped: ['email'],
    });
  });

  it('every identifier present, or channels that need none → every channel', () => {
    expect(grantableChannels(['email', 'sms'], { email: 'a@example.com', phone: '+33612345678' })).toEqual({
      ok: true,
      channels: ['email', 'sms'],
      dropped: [],
    });
    expect(grantableChannels(['postal'], {})).toEqual({ ok: true, channels: ['postal'], dropped: [] });
    expect(grantableChannels(['postal', 'email'], {})).toEqual({ ok: true, channels: ['postal'], dropped: ['email'] });
  });
});
