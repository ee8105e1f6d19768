import { Badge, Flex, Typography } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import type { ListPurposes } from '../../../shared/contracts/purposes';
import { useResource } from '../api';
import { ListPage } from '../components/ListPage';
import { PERMISSIONS } from '../permissions';
import { useLabels } from '../utils/labels';
import { useT } from '../utils/useT';
import { useCan } from '../utils/useCan';

type Purpose = ListPurposes.Response['data'][number];

const PurposesPage = () => {
  const t = useT();
  const labels = useLabels();
  const canManage = useCan(PERMISSIONS.purposesManage).can;
  const { data, error } = useResource<Purpose[]>('/consent/purposes');

  if (error) return <Page.Error />;
  if (!data) return <Page.Loading />;

  return (
    <ListPage<Purpose>
      title={t('purposes.title', 'Purposes')}
      subtitle={t(
        'purposes.subtitle',
        'Each reason you process data or contact people, with its legal basis and channels'
      )}
      empty={t(
        'purposes.empty',
        'No purposes yet. A purpose is one reason to contact people, for example "Monthly newsletter by email". Create one, then write its notice.'
      )}
      createLabel={t('purposes.create', 'Create a purpose')}
      createPath="purposes/new"
      canCreate={canManage}
      rows={data}
      rowKey={(p) => p.key}
      rowPath={(p) => `purposes/${p.key}`}
      columns={[
        { label: t('purposes.key', 'Key'), render: (p) => <Typography fontWeight="bold">{p.key}</Typography> },
        { label: t('purposes.name', 'Name'), render: (p) => <Typography>{p.name}</Typography> },
        {
          label: t('purposes.legalBasis', 'Legal basis'),
          render: (p) => <Typography>{labels.legalBasis[p.legalBasis]}</Typography>,
        },
        {
          label: t('purposes.mechanism', 'Mechanism'),
          render: (p) => <Typography>{labels.mechanism[p.mechanism]}</Typography>,
        },
        {
          label: t('purposes.channels', 'Channels'),
          render: (p) => <Typography>{p.channels.map((c) => labels.channel[c]).join(', ')}</Typography>,
        },
        {
          label: t('purposes.status', 'Status'),
          render: (p) => (
            <Flex gap={1}>
              <Badge active={p.active}>
                {p.active ? t('purposes.active', 'Active') : t('purposes.archived', 'Archived')}
              </Badge>
              {p.used && <Badge>{t('purposes.used', 'In use')}</Badge>}
            </Flex>
          ),
        },
      ]}
    />
  );
};

export { PurposesPage };
