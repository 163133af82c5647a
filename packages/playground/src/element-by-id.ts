/** The element of `root` with this id; a missing one is a bug in index.html, so it throws. */
export function elementById<T extends HTMLElement>(root: ParentNode, id: string): T {
  const el = root.querySelector<T>(`#${id}`);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}
