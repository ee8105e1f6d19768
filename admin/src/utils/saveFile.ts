/**
 * Hands a downloaded body to the browser as a file. The admin's fetch client carries the session token,
 * which a plain link to the API could not, so exports are fetched first and saved from memory.
 */
export const saveFile = (data: Blob, name: string) => {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
