export const PLUGIN_ID = 'consent';
