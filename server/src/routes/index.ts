import admin from './admin';
import contentApi from './content-api';
import wellKnown from './well-known';

export default { admin, 'content-api': contentApi, 'well-known': wellKnown };
