/** The workbook key of the page's host (one workbook per page). */
export const urlKey = 'page';
