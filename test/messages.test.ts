/**
 * Issue messages are made when read (src/core/messages.ts `Message`, src/core/model.ts
 * `MessageIssue`): each language's text comes from the same builder, equal messages are equal data
 * whatever has been read of them, and a copy (plainIssue, JSON) carries both texts.
 */
import { validateGrids } from '../src/core/engine';
import { MSG } from '../src/core/messages';
import { MessageIssue, plainIssue } from '../src/core/model';
import { book } from './support/grids';

test('a message is each language\'s text of its builder, made on every read, and equal data when equal', () => {
  const m = MSG.missingServiceRow('PC05U1');
  expect(m.vi).toBe('Đơn vị "PC05U1" chưa có dòng ở sheet Dịch vụ khách hàng: không được xếp hạng dịch vụ khách hàng.');
  expect(m.en).toBe('Unit "PC05U1" has no row in sheet Dịch vụ khách hàng: it is not ranked for customer service.');
  const read = MSG.missingServiceRow('PC05U1');
  void read.vi;
  expect(read).toEqual(MSG.missingServiceRow('PC05U1'));
  expect(MSG.missingServiceRow('PC05U2')).not.toEqual(m);
  expect(MSG.unknownCompany('PC05U1')).not.toEqual(m);
});

test('issues from two runs are equal whatever was read of them; plainIssue and JSON carry both texts, a spread does not', () => {
  const grid = book({ units: [{ code: 'PC01D1', commercial: 1000, saved: 5000 }] });
  const a = validateGrids([grid]).issues;
  const b = validateGrids([grid]).issues;
  expect(a.length).toBeGreaterThan(0);
  a.forEach((i) => void i.message);
  expect(a).toEqual(b);
  const i = a[0];
  expect(i).toBeInstanceOf(MessageIssue);
  const plain = plainIssue(i);
  expect(plain).toEqual({ severity: i.severity, file: i.file, sheet: i.sheet, cell: i.cell, field: i.field, code: i.code, message: i.message, messageEn: i.messageEn });
  expect(plain.message.length).toBeGreaterThan(10);
  expect(plain.messageEn).not.toBe(plain.message);
  expect(JSON.parse(JSON.stringify(i))).toEqual(plain);
  expect({ ...i }).not.toHaveProperty('message');
});
