import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { OverviewPage } from './OverviewPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.settings}>
    <Routes>
      <Route index element={<OverviewPage />} />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  </Page.Protect>
);

export default App;
