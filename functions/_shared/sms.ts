/**
 * Text messages out, through the provider `SMS_PROVIDER` names:
 * - `outbox` (default): rpc `capture_sms` keeps the message in `private.sms_outbox`, where tests and
 *   developers read it;
 * - `twilio`: Twilio's Messages API with `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM`.
 */
import { callService, env } from './supabase.ts';

export interface SmsProvider {
  readonly name: string;
  /** Sends `body` to `to` (E.164); throws when the provider refuses. */
  send(to: string, body: string): Promise<void>;
}

export const outboxProvider: SmsProvider = {
  name: 'outbox',
  async send(to, body) {
    await callService('capture_sms', { p_phone: to, p_body: body }).catch((error: Error) => {
      throw new Error(`capture_sms failed: ${error.message}`);
    });
  },
};

export function twilioProvider(accountSid = env('TWILIO_ACCOUNT_SID'), authToken = env('TWILIO_AUTH_TOKEN'), from = env('TWILIO_FROM')): SmsProvider {
  return {
    name: 'twilio',
    async send(to, body) {
      const response = await fetch(`https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: to, From: from, Body: body }),
      });
      if (!response.ok) throw new Error(`Twilio answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
      await response.body?.cancel();
    },
  };
}

/** The provider `SMS_PROVIDER` selects (`outbox` when unset). */
export function smsProvider(): SmsProvider {
  const name = (Deno.env.get('SMS_PROVIDER') || 'outbox').toLowerCase();
  if (name === 'outbox') return outboxProvider;
  if (name === 'twilio') return twilioProvider();
  throw new Error(`unknown SMS_PROVIDER ${name}`);
}

/** Sends a text message; true when the provider took it. Never throws (failures are logged). */
export async function sendSms(to: string, body: string, provider?: SmsProvider): Promise<boolean> {
  try {
    await (provider ?? smsProvider()).send(to, body);
    return true;
  } catch (error) {
    console.error(`sms not sent ${JSON.stringify({ to, error: String(error) })}`);
    return false;
  }
}
