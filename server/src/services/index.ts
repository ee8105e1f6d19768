import forms from './forms';
import ledger from './ledger';
import notices from './notices';
import purposes from './purposes';
import receipts from './receipts';
import secrets from './secrets';
import settings from './settings';
import capture from './capture';
import eligibility from './eligibility';
import rateLimits from './rate-limits';
import subjects from './subjects';
import webhooks from './webhooks';
import confirmations from './confirmations';
import suppression from './suppression';

export default { forms, ledger, notices, purposes, receipts, secrets, settings, capture, eligibility, 'rate-limits': rateLimits, subjects, webhooks, confirmations, suppression };
