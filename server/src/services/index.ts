import forms from './forms';
import ledger from './ledger';
import notices from './notices';
import purposes from './purposes';
import receipts from './receipts';
import secrets from './secrets';
import settings from './settings';

export default { forms, ledger, notices, purposes, receipts, secrets, settings };
