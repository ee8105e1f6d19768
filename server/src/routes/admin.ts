import { requireAction } from './policies';

export default {
  type: 'admin',
  routes: [
    {
      method: 'GET',
      path: '/settings',
      handler: 'settings.find',
      config: requireAction('settingsRead'),
    },
  ],
};
