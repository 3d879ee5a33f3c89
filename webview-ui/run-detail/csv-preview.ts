/** The first rows of a CSV for a preview table (RFC 4180 quoting). Pure. */
export function parseCsvPreview(text: string, sep = ',', maxRows = 200): { header: string[]; rows: string[][]; more: boolean } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  for (; i < text.length && records.length <= maxRows; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (i >= text.length && (field !== '' || record.length)) {
    record.push(field);
    records.push(record);
  }
  const [header = [], ...rows] = records;
  const more = rows.length > maxRows || i < text.length;
  return { header, rows: rows.slice(0, maxRows), more };
}
