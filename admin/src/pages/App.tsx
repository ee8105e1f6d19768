import type { ComponentType } from 'react';
import { Page, useRBAC } from '@strapi/strapi/admin';
import { Navigate, Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { DashboardPage } from './DashboardPage';
import { FormEditPage } from './FormEditPage';
import { FormsPage } from './FormsPage';
import { LedgerPage } from './LedgerPage';
import { NoticeEditPage } from './NoticeEditPage';
import { PurposeEditPage } from './PurposeEditPage';
import { PurposesPage } from './PurposesPage';
import { SubjectPage } from './SubjectPage';

/** Each page with the action a role needs to open it (the server checks the same actions on its routes). */
const PAGES: Array<[path: string, Component: ComponentType, permissions: typeof PERMISSIONS.purposesRead]> = [
  ['purposes', PurposesPage, PERMISSIONS.purposesRead],
  ['purposes/new', PurposeEditPage, PERMISSIONS.purposesManage],
  ['purposes/:key', PurposeEditPage, PERMISSIONS.purposesRead],
  ['notices/:id', NoticeEditPage, PERMISSIONS.noticesRead],
  ['forms', FormsPage, PERMISSIONS.formsRead],
  ['forms/new', FormEditPage, PERMISSIONS.formsManage],
  ['forms/:key', FormEditPage, PERMISSIONS.formsRead],
  ['ledger', LedgerPage, PERMISSIONS.recordsRead],
  ['subjects/:pseudonym', SubjectPage, PERMISSIONS.recordsRead],
  ['dashboard', DashboardPage, PERMISSIONS.recordsRead],
];

/** The plugin's start page: purposes for editors, the ledger for a role that may only read records. */
const Index = () => {
  const { allowedActions, isLoading } = useRBAC({
    purposes: PERMISSIONS.purposesRead,
    records: PERMISSIONS.recordsRead,
  });
  if (isLoading) return <Page.Loading />;
  return <Navigate to={!allowedActions.canPurposes && allowedActions.canRecords ? 'ledger' : 'purposes'} replace />;
};

const App = () => (
  <Routes>
    <Route index element={<Index />} />
    {PAGES.map(([path, Component, permissions]) => (
      <Route
        key={path}
        path={path}
        element={
          <Page.Protect permissions={permissions}>
            <Component />
          </Page.Protect>
        }
      />
    ))}
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
