import { getTranslation } from './utils/getTranslation';
import { PLUGIN_ID } from './pluginId';
import { Initializer } from './components/Initializer';
import { PluginIcon } from './components/PluginIcon';
import { PERMISSIONS } from './permissions';

type TranslationModule = { default: Record<string, string> };

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Consent' },
      Component: () => import('./pages/App'),
      permissions: PERMISSIONS.menu,
    });

    app.addSettingsLink(
      { id: PLUGIN_ID, intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Consent' } },
      {
        id: 'settings',
        to: PLUGIN_ID,
        intlLabel: { id: getTranslation('settings.link'), defaultMessage: 'Configuration' },
        Component: () => import('./pages/SettingsPage'),
        permissions: PERMISSIONS.settings,
      }
    );

    // Home-page widgets exist from Strapi 5.13; older admins have no `widgets` and would crash on the call.
    if ('widgets' in app) {
      app.widgets.register({
        id: 'last-7-days',
        pluginId: PLUGIN_ID,
        icon: PluginIcon,
        title: { id: getTranslation('widget.title'), defaultMessage: 'Consent, last 7 days' },
        component: async () => (await import('./components/HomeWidget')).HomeWidget,
        link: {
          label: { id: getTranslation('widget.link'), defaultMessage: 'Open the dashboard' },
          href: `/plugins/${PLUGIN_ID}/dashboard`,
        },
        permissions: PERMISSIONS.recordsRead,
      });
    }

    app.registerPlugin({ id: PLUGIN_ID, initializer: Initializer, isReady: false, name: PLUGIN_ID });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as TranslationModule;
          const prefixed = Object.fromEntries(Object.entries(data).map(([k, v]) => [getTranslation(k), v]));
          return { data: prefixed, locale };
        } catch {
          return { data: {}, locale };
        }
      })
    );
  },
};
