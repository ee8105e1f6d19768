import type { ComponentType } from 'react';
import { Page } from '@strapi/strapi/admin';
import { Navigate, Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { DashboardPage } from './DashboardPage';
import { FormEditPage } from './FormEditPage';
import { FormsPage } from './FormsPage';
import { LedgerPage } from './LedgerPage';
import { MessagesPage } from './MessagesPage';
import { NoticeEditPage } from './NoticeEditPage';
import { PurposeEditPage } from './PurposeEditPage';
import { PurposesPage } from './PurposesPage';
import { ReportsPage } from './ReportsPage';
import { SubjectPage } from './SubjectPage';
import { useCan } from '../utils/useCan';

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
  ['reports', ReportsPage, PERMISSIONS.reportsManage],
  ['messages', MessagesPage, PERMISSIONS.messagesRead],
];

/** The plugin's start page: the first section the role may open (purposes, forms, the ledger, reports, then messages). */
const Index = () => {
  const purposes = useCan(PERMISSIONS.purposesRead);
  const forms = useCan(PERMISSIONS.formsRead);
  const records = useCan(PERMISSIONS.recordsRead);
  const reports = useCan(PERMISSIONS.reportsManage);
  const messages = useCan(PERMISSIONS.messagesRead);
  if (purposes.isLoading || forms.isLoading || records.isLoading || reports.isLoading || messages.isLoading)
    return <Page.Loading />;
  const start = purposes.can
    ? 'purposes'
    : forms.can
      ? 'forms'
      : records.can
        ? 'ledger'
        : reports.can
          ? 'reports'
          : messages.can
            ? 'messages'
            : 'purposes';
  return <Navigate to={start} replace />;
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
