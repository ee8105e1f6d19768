import { useState } from 'react';
import { Badge, Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { useNavigate } from 'react-router-dom';
import type { Notice } from '../../../shared/contracts/notices';
import { useResource } from '../api';
import { PERMISSIONS } from '../permissions';
import { useLabels } from '../utils/labels';
import { pluginPath } from '../utils/pluginPath';
import { useT } from '../utils/useT';
import { TextField } from './Fields';
import { useCan } from '../utils/useCan';

/** Every version of a purpose's notices, by language, with a way to write the next one. */
const NoticeVersions = ({ purpose }: { purpose: string }) => {
  const t = useT();
  const labels = useLabels();
  const navigate = useNavigate();
  const canManage = useCan(PERMISSIONS.noticesManage).can;
  const { data } = useResource<Notice[]>(`/consent/notices?purpose=${encodeURIComponent(purpose)}`);
  const [locale, setLocale] = useState('en');

  if (!data) return null;
  const open = (id: number) => navigate(pluginPath(`notices/${id}`));
  const write = () => {
    const draft = data.find((n) => n.locale === locale && n.status === 'draft');
    if (draft) open(draft.id);
    else
      navigate(pluginPath(`notices/new?purpose=${encodeURIComponent(purpose)}&locale=${encodeURIComponent(locale)}`));
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4} paddingTop={4}>
      {data.length === 0 ? (
        <Typography textColor="neutral600">
          {t(
            'notices.empty',
            'No notice yet. People can only be asked once they can read what they agree to: write the notice in each language you use.'
          )}
        </Typography>
      ) : (
        <Table colCount={5} rowCount={data.length + 1}>
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{t('notices.locale', 'Language')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('notices.version', 'Version')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('notices.titleField', 'Title')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('notices.status', 'Status')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('notices.effectiveAt', 'In force since')}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {data.map((n) => (
              <Tr key={n.id} onClick={() => open(n.id)} style={{ cursor: 'pointer' }}>
                <Td>
                  <Typography>{n.locale}</Typography>
                </Td>
                <Td>
                  <Typography>v{n.version}</Typography>
                </Td>
                <Td>
                  <Typography>{n.title}</Typography>
                </Td>
                <Td>
                  <Badge active={n.status === 'published'}>{labels.status[n.status]}</Badge>
                </Td>
                <Td>
                  <Typography>{n.effectiveAt ? new Date(n.effectiveAt).toLocaleString() : '—'}</Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {canManage && (
        <Flex gap={2} alignItems="flex-end">
          <Box minWidth="12rem" data-testid="new-notice-locale">
            <TextField
              name="newNoticeLocale"
              label={t('notices.locale', 'Language')}
              value={locale}
              onChange={setLocale}
              hint={t('notices.localeHint', 'e.g. en, de, fr')}
            />
          </Box>
          <Button variant="secondary" startIcon={<Plus />} onClick={write}>
            {t('notices.write', 'Write a notice')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
};

export { NoticeVersions };
