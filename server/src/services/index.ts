import forms from './forms';
import ledger from './ledger';
import notices from './notices';
import purposes from './purposes';
import secrets from './secrets';
import settings from './settings';

export default { forms, ledger, notices, purposes, secrets, settings };
