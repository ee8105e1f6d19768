import forms from './forms';
import notices from './notices';
import publicForms from './public-forms';
import purposes from './purposes';
import settings from './settings';

export default { forms, notices, 'public-forms': publicForms, purposes, settings };
