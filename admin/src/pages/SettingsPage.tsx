import { Page } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../permissions';
import { OverviewPage } from './OverviewPage';

/** Settings → Consent: the configuration the plugin runs with and what needs fixing before going live. */
const SettingsPage = () => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <OverviewPage />
  </Page.Protect>
);

export default SettingsPage;
