import { Flex, LinkButton } from '@strapi/design-system';
import { useRBAC } from '@strapi/strapi/admin';
import { NavLink, useLocation } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { pluginPath } from '../utils/pluginPath';
import { useT } from '../utils/useT';

/** The plugin's sections, one button each; the current one is highlighted. */
const PluginNav = () => {
  const t = useT();
  const { pathname } = useLocation();
  // The records sections show only to roles that may read records (an editor has no use for them).
  const { allowedActions } = useRBAC({ records: PERMISSIONS.recordsRead });
  const items = [
    { to: pluginPath('purposes'), match: '/purposes', label: t('nav.purposes', 'Purposes') },
    { to: pluginPath('forms'), match: '/forms', label: t('nav.forms', 'Forms') },
    ...(allowedActions.canRecords
      ? [
          { to: pluginPath('ledger'), match: '/ledger', label: t('nav.ledger', 'Ledger') },
          { to: pluginPath('dashboard'), match: '/dashboard', label: t('nav.dashboard', 'Dashboard') },
        ]
      : []),
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
