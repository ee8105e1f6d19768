import { Flex, LinkButton } from '@strapi/design-system';
import { NavLink, useLocation } from 'react-router-dom';
import { pluginPath } from '../utils/pluginPath';
import { useT } from '../utils/useT';

/** The plugin's sections, one button each; the current one is highlighted. */
const PluginNav = () => {
  const t = useT();
  const { pathname } = useLocation();
  const items = [
    { to: pluginPath('purposes'), match: '/purposes', label: t('nav.purposes', 'Purposes') },
    { to: pluginPath('forms'), match: '/forms', label: t('nav.forms', 'Forms') },
  ];
  return (
    <Flex gap={2} paddingBottom={4} tag="nav" aria-label={t('nav.label', 'Consent sections')}>
      {items.map((item) => (
        <LinkButton
          key={item.to}
          tag={NavLink}
          to={item.to}
          variant={
            pathname.includes(item.match) || (item.match === '/purposes' && pathname.includes('/notices'))
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
