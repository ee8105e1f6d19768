import { ShieldCheck } from '@strapi/icons';

const PluginIcon = () => <ShieldCheck />;

export { PluginIcon };
