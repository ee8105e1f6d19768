import notices from './notices';
import secrets from './secrets';
import settings from './settings';

export default { notices, secrets, settings };
