import type { ReactNode } from 'react';
import { Button, EmptyStateLayout, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import { pluginPath } from '../utils/pluginPath';
import { PluginNav } from './PluginNav';

interface Column<T> {
  label: string;
  render: (row: T) => ReactNode;
}

interface ListPageProps<T> {
  title: string;
  subtitle: string;
  /** Shown instead of the table when there are no rows: says what the thing is and how to start. */
  empty: string;
  createLabel: string;
  /** Plugin sub-path of the "new" page; the create button only shows when `canCreate`. */
  createPath: string;
  canCreate: boolean;
  rows: T[];
  rowKey: (row: T) => string;
  rowPath: (row: T) => string;
  columns: Array<Column<T>>;
}

/** The list pages of the plugin (purposes, forms): header, create action, sections, a table or an empty state. */
const ListPage = <T,>(p: ListPageProps<T>) => {
  const navigate = useNavigate();
  const create = p.canCreate ? (
    <Button startIcon={<Plus />} onClick={() => navigate(pluginPath(p.createPath))}>
      {p.createLabel}
    </Button>
  ) : undefined;

  return (
    <Page.Main>
      <Page.Title>{p.title}</Page.Title>
      <Layouts.Header title={p.title} subtitle={p.subtitle} primaryAction={create} />
      <Layouts.Content>
        <PluginNav />
        {p.rows.length === 0 ? (
          <EmptyStateLayout content={p.empty} action={create} />
        ) : (
          <Table colCount={p.columns.length} rowCount={p.rows.length + 1}>
            <Thead>
              <Tr>
                {p.columns.map((c) => (
                  <Th key={c.label}>
                    <Typography variant="sigma">{c.label}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {p.rows.map((row) => (
                <Tr
                  key={p.rowKey(row)}
                  onClick={() => navigate(pluginPath(p.rowPath(row)))}
                  style={{ cursor: 'pointer' }}
                >
                  {p.columns.map((c) => (
                    <Td key={c.label}>{c.render(row)}</Td>
                  ))}
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export { ListPage };
