import { hiddenFromEditors } from './visibility';

/** The names of a consent content type: its table, and how Strapi names and describes it. */
interface ContentTypeNames {
  collectionName: string;
  singularName: string;
  pluralName: string;
  displayName: string;
  description: string;
}

/**
 * A consent content type's schema. All of them are collections without drafts, hidden from the generic
 * editors (visibility.ts); only the names, the attributes and the indexes tell one from another. The
 * object built is key for key the one Strapi has always been given (test/unit/content-type-schemas.test.ts):
 * the database schema must not change because the schemas are written differently.
 */
export const defineContentType = <const T extends ContentTypeNames & { attributes: object }>({
  collectionName,
  singularName,
  pluralName,
  displayName,
  description,
  ...body
}: T) => ({
  kind: 'collectionType' as const,
  collectionName,
  info: { singularName, pluralName, displayName, description },
  options: { draftAndPublish: false as const },
  pluginOptions: hiddenFromEditors,
  ...body,
});
