import type { ComponentType } from 'react';
import { Page } from '@strapi/strapi/admin';
import { Navigate, Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { FormEditPage } from './FormEditPage';
import { FormsPage } from './FormsPage';
import { NoticeEditPage } from './NoticeEditPage';
import { PurposeEditPage } from './PurposeEditPage';
import { PurposesPage } from './PurposesPage';

/** Each page with the action a role needs to open it (the server checks the same actions on its routes). */
const PAGES: Array<[path: string, Component: ComponentType, permissions: typeof PERMISSIONS.purposesRead]> = [
  ['purposes', PurposesPage, PERMISSIONS.purposesRead],
  ['purposes/new', PurposeEditPage, PERMISSIONS.purposesManage],
  ['purposes/:key', PurposeEditPage, PERMISSIONS.purposesRead],
  ['notices/:id', NoticeEditPage, PERMISSIONS.noticesRead],
  ['forms', FormsPage, PERMISSIONS.formsRead],
  ['forms/new', FormEditPage, PERMISSIONS.formsManage],
  ['forms/:key', FormEditPage, PERMISSIONS.formsRead],
];

const App = () => (
  <Routes>
    <Route index element={<Navigate to="purposes" replace />} />
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
