module.exports = [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  // Browsers ask every site for /favicon.ico; without the file Strapi answers 500.
  { name: 'strapi::favicon', config: { path: 'favicon.ico' } },
  'strapi::public',
];
