/**
 * The rows of a sweep page by page, in ascending id (keyset pagination): `fetch` reads the rows after an
 * id, and each page starts after the last id of the one before, so rows a page's work deletes or changes
 * do not shift the next page. Ends at the first empty page; a caller that knows it read the last page
 * (a short one) breaks out of its loop, and nothing more is read.
 */
export async function* keysetPages<T extends { id: number }>(fetch: (after: number) => Promise<T[]>) {
  let after = 0;
  for (;;) {
    const page = await fetch(after);
    if (page.length === 0) return;
    after = page[page.length - 1].id;
    yield page;
  }
}
