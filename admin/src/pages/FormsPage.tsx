import { Badge, Typography } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import type { ListForms } from '../../../shared/contracts/forms';
import { useResource } from '../api';
import { ListPage } from '../components/ListPage';
import { PERMISSIONS } from '../permissions';
import { useT } from '../utils/useT';
import { useCan } from '../utils/useCan';

type Form = ListForms.Response['data'][number];

const FormsPage = () => {
  const t = useT();
  const canManage = useCan(PERMISSIONS.formsManage).can;
  const { data, error } = useResource<Form[]>('/consent/forms');

  if (error) return <Page.Error />;
  if (!data) return <Page.Loading />;

  return (
    <ListPage<Form>
      title={t('forms.title', 'Forms')}
      subtitle={t('forms.subtitle', 'The places where people give or refuse consent: sign-up, contact, checkout …')}
      empty={t('forms.empty', 'No forms yet. A form offers one or more purposes, each as its own unticked box.')}
      createLabel={t('forms.create', 'Create a form')}
      createPath="forms/new"
      canCreate={canManage}
      rows={data}
      rowKey={(f) => f.key}
      rowPath={(f) => `forms/${f.key}`}
      columns={[
        { label: t('forms.key', 'Key'), render: (f) => <Typography fontWeight="bold">{f.key}</Typography> },
        { label: t('forms.name', 'Name'), render: (f) => <Typography>{f.name}</Typography> },
        {
          label: t('forms.purposes', 'Purposes offered'),
          render: (f) => <Typography>{f.purposes.join(', ')}</Typography>,
        },
        {
          label: t('forms.status', 'Status'),
          render: (f) => (
            <Badge active={f.active}>{f.active ? t('forms.active', 'Active') : t('forms.inactive', 'Inactive')}</Badge>
          ),
        },
      ]}
    />
  );
};

export { FormsPage };
