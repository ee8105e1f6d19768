import { Flex, LinkButton } from '@strapi/design-system';
import { NavLink, useLocation } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { pluginPath } from '../utils/pluginPath';
import { useCan } from '../utils/useCan';
import { useT } from '../utils/useT';

/** The plugin's sections, one button each; the current one is highlighted. */
const PluginNav = () => {
  const t = useT();
  const { pathname } = useLocation();
  // Each section shows only to roles that may open it (the server checks the same actions on its routes).
  const purposes = useCan(PERMISSIONS.purposesRead).can;
  const forms = useCan(PERMISSIONS.formsRead).can;
  const records = useCan(PERMISSIONS.recordsRead).can;
  const reports = useCan(PERMISSIONS.reportsManage).can;
  const items = [
    ...(purposes ? [{ to: pluginPath('purposes'), match: '/purposes', label: t('nav.purposes', 'Purposes') }] : []),
    ...(forms ? [{ to: pluginPath('forms'), match: '/forms', label: t('nav.forms', 'Forms') }] : []),
    ...(records
      ? [
          { to: pluginPath('ledger'), match: '/ledger', label: t('nav.ledger', 'Ledger') },
          { to: pluginPath('dashboard'), match: '/dashboard', label: t('nav.dashboard', 'Dashboard') },
        ]
      : []),
    ...(reports ? [{ to: pluginPath('reports'), match: '/reports', label: t('nav.reports', 'Reports') }] : []),
  ];
  return (
    <Flex gap={2} paddingBottom={4} tag="nav" aria-label={t('nav.label', 'Consent sections')}>
      {items.map((item) => (
        <LinkButton
          key={item.to}
          tag={NavLink}
          to={item.to}
          variant={
            pathname.includes(item.match) ||
            (item.match === '/purposes' && pathname.includes('/notices')) ||
            (item.match === '/ledger' && pathname.includes('/subjects/'))
              ? 'secondary'
              : 'tertiary'
          }
        >
          {item.label}
        </LinkButton>
      ))}
    </Flex>
  );
};

export { PluginNav };
