import forms from './forms';
import ledger from './ledger';
import notices from './notices';
import publicForms from './public-forms';
import purposes from './purposes';
import settings from './settings';

export default { forms, ledger, notices, 'public-forms': publicForms, purposes, settings };
