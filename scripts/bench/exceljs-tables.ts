/**
 * Table parts as ExcelJS can read them. ExcelJS 4.4 parses a `<tableColumn>` as a leaf: a child
 * element (`<calculatedColumnFormula>`, which Excel writes for every calculated column, and which
 * our own template carries, or `<totalsRowFormula>`) ends the column early and the load fails with
 * "Cannot set properties of undefined (setting 'filterButton')". The readers never need those
 * formulas (derived columns are never read), so they are dropped before ExcelJS sees the part.
 */

const CHILD = /<((?:\w+:)?(?:calculatedColumnFormula|totalsRowFormula|xmlColumnPr|extLst))\b[^>]*?(?:\/>|>[\s\S]*?<\/\1>)/g;

/** A table part without the children of its `<tableColumn>`s, or null when it has none. */
export function tableWithoutColumnChildren(xml: string): string | null {
  let changed = false;
  const fixed = xml.replace(/(<(?:\w+:)?tableColumn\b[^>]*?)(?<!\/)>([\s\S]*?)<\/(?:\w+:)?tableColumn>/g, (_m, open: string, inner: string) => {
    changed = true;
    const rest = inner.replace(CHILD, '').trim();
    return rest ? `${open}>${rest}</tableColumn>` : `${open}/>`;
  });
  return changed ? fixed : null;
}

/** Is this zip entry a table part? */
export function isTablePart(name: string): boolean {
  return /^xl\/tables\/[^/]+\.xml$/i.test(name);
}
