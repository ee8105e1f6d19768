import forms from './forms';
import notices from './notices';
import purposes from './purposes';
import secrets from './secrets';
import settings from './settings';

export default { forms, notices, purposes, secrets, settings };
