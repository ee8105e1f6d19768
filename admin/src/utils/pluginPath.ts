import { PLUGIN_ID } from '../pluginId';

/** Absolute admin route of a plugin page (the admin router's basename adds /admin). */
export const pluginPath = (sub: string) => `/plugins/${PLUGIN_ID}/${sub}`;
